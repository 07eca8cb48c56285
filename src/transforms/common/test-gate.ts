/**
 * The test gate. BuildKit builds only the stages the target needs, so a plain `docker build .`
 * runs the test stage only when the runtime depends on it. The runtime takes its files from the
 * build (or prune) stage, never from the test stage, so test artefacts (coverage reports,
 * `.pytest_cache`, junit files) do not ship; the dependency is a zero-byte marker the test stage
 * writes after the tests pass and the runtime copies.
 */
export const testMarkerPath = "/tmp/msb-tests-passed";

/** The last line of the test stage: it exists only when every test step before it succeeded. */
export const writeTestMarker = `RUN touch ${testMarkerPath}`;

/** The runtime's copy of the marker (an empty file in /tmp). */
export const copyTestMarker = (testStage: string) => `COPY --from=${testStage} ${testMarkerPath} ${testMarkerPath}`;

export const testMarkerComment = "# Exists only when the tests passed: a plain build runs them; nothing else comes from the test stage.";
