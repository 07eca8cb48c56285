import fc from "fast-check";

/** One random edit of Dockerfile text, in the spirit of what people write (and break) by hand. */
export type Edit = (text: string) => string;

const lines = (t: string) => t.split("\n");
const at = (n: number, length: number) => (length === 0 ? 0 : n % length);

export const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.nat().map((n): Edit => (t) => lines(t).filter((_, i, all) => i !== at(n, all.length)).join("\n")),
  fc.nat().map((n): Edit => (t) => lines(t).flatMap((l, i, all) => (i === at(n, all.length) ? [l, l] : [l])).join("\n")),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Edit => (t) => {
    const all = lines(t);
    const i = at(a, all.length), j = at(b, all.length);
    [all[i], all[j]] = [all[j]!, all[i]!];
    return all.join("\n");
  }),
  fc.nat().map((n): Edit => (t) => t.slice(0, at(n, t.length + 1))),
  fc.nat().map((n): Edit => (t) => lines(t).map((l, i, all) => (i === at(n, all.length) ? `${l} \\` : l)).join("\n")),
  fc.tuple(fc.nat(), fc.string({ maxLength: 20 })).map(([n, s]): Edit => (t) => lines(t).flatMap((l, i, all) => (i === at(n, all.length) ? [`# ${s}`, l] : [l])).join("\n")),
  fc.nat().map((n): Edit => (t) => lines(t).flatMap((l, i, all) => (i === at(n, all.length) ? ["RUN <<EOF", l] : [l])).join("\n")),
  fc.constantFrom<Edit>(
    (t) => t.replace(/\n/g, "\r\n"),
    (t) => `\uFEFF${t}`,
    (t) => t.replace(/ /g, "\t"),
    (t) => t.replace(/^(\w+)/gm, (k) => k.toLowerCase()),
    (t) => `# escape=\`\n${t}`,
    (t) => `${t}\nONBUILD RUN echo onbuild`,
    (t) => t.replace(/^(FROM .*)$/m, '$1\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]'),
    (t) => t.replace(/^(FROM .*)$/m, "$1\nADD https://example.com/tool.tar.gz /opt/tool/"),
    (t) => t.replace(/^FROM\s+/m, "FROM --platform=$BUILDPLATFORM "),
    (t) => t.replace(/^FROM\s+(\S+)/m, "FROM registry.example.com:5000/$1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
    (t) => `ARG BASE_TAG=latest\n${t.replace(/^FROM\s+([^:\s]+)(:\S+)?/m, "FROM $1:${BASE_TAG}")}`,
    (t) => t.replace(/^(WORKDIR\s+)(\S+)/m, "ENV APP_DIR=$2\n$1${APP_DIR}"),
    (t) => t.replace(/^(CMD .*)$/m, "ENV API_TOKEN=abc\n$1"),
    (t) => `${t}\n${"RUN echo " + "x".repeat(20000)}`,
    (t) => t.replace(/^(RUN .*)$/m, "$1 && echo ünïcødé ✓ 🚀"),
    (t) => t.replace(/^(EXPOSE .*)$/m, "$1\nVOLUME /data\nHEALTHCHECK CMD true\nSTOPSIGNAL SIGTERM\nLABEL a=b"),
    (t) => t.replace(/^(RUN\s)/m, "RUN --mount=type=cache,target=/root/.cache "),
    (t) => `${t}\nRUN \${A:-\${B:-\${C:-\${D:-x}}}}`,
  ),
);
