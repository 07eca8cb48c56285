import { onDockerHub } from "../analysis/image-ref.js";
import { commandWords } from "../analysis/commands.js";
import type { Facts } from "../analysis/facts.js";
import { unusable } from "../errors.js";

/** Python 2's pip and headers, which Ubuntu dropped in 20.04 and Debian in 11: apt stops with "Unable to locate package". */
const python2Packages = new Set(["python-pip", "python-dev"]);

const ubuntuWithout = /^(latest|rolling|devel|2[0-9]\.(04|10)|focal|groovy|hirsute|impish|jammy|kinetic|lunar|mantic|noble|oracular|plucky|questing)(-|$)/;
const debianWithout = /^(latest|stable|testing|sid|unstable|1[1-9]|bullseye|bookworm|trixie|forky)(\.|-|$)/;

/** The distribution release of a plain `ubuntu` or `debian` image, when it is one without Python 2's packages. */
function releaseWithoutPython2(image: Facts["resolvedImage"]): string | undefined {
  if (!onDockerHub(image)) return undefined;
  const tag = image.tag === "" ? "latest" : image.tag;
  if (image.name === "ubuntu" && ubuntuWithout.test(tag)) return "Ubuntu 20.04 or later";
  if (image.name === "debian" && debianWithout.test(tag)) return "Debian 11 or later";
  return undefined;
}

/**
 * Rejects (exit 2) `apt-get install python-pip` or `python-dev` on Ubuntu 20.04+ or Debian 11+
 * images, whose archives have neither (Python 2 was removed): the original stops at that step.
 */
export function rejectRemovedAptPackages(facts: Facts): void {
  const release = releaseWithoutPython2(facts.resolvedImage);
  if (!release) return;
  for (const entry of facts.body) {
    for (const segment of entry.run?.segments ?? []) {
      const words = commandWords(segment.argv);
      if (!/^apt(-get)?$/.test(words[0]?.split("/").pop() ?? "") || !words.includes("install")) continue;
      const gone = words.slice(words.indexOf("install") + 1).filter((w) => python2Packages.has(w));
      if (gone.length === 0) continue;
      throw unusable(`line ${entry.ins.startLine + 1}: apt-get install ${gone.join(", ")}: ${facts.resolvedImage.raw} is ${release}, which has no installation candidate for it (Python 2's pip and headers were dropped), so the build fails here; use ${gone.map((name) => name.replace("python-", "python3-")).join(" and ")}`);
    }
  }
}
