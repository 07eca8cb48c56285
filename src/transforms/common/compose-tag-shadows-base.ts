import type { BuildContext } from "../../analysis/context.js";
import { composeBuiltImageTags } from "../../analysis/compose.js";
import type { ImageRef } from "../../analysis/image-ref.js";

const normalised = (reference: string) => {
  const name = reference.replace(/^docker\.io\/(library\/)?/, "");
  return /:[^/]*$|@/.test(name) ? name : `${name}:latest`;
};

/**
 * Why the next compose build would break, or undefined: compose tags the image it builds with the name of
 * that image's own base (`image: python:3.9-slim` beside `build: .`), so the next build starts FROM the
 * converted image, whose final stage runs as a non-root user without the build tools, and its build
 * steps fail (the root-run original only grew on itself).
 */
export function composeTagShadowsBaseWarning(context: BuildContext, base: ImageRef): string | undefined {
  const tag = composeBuiltImageTags(context).find((t) => normalised(t.image) === normalised(base.raw));
  return tag && `${tag.file} line ${tag.line} tags the image it builds ${tag.image}, the name of its own base: the next build starts FROM the converted image, which runs as a non-root user without the build tools, and fails (give the service an image name of its own)`;
}
