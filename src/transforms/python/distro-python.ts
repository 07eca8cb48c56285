import type { Facts } from "../../analysis/facts.js";
import { osPackagesInstalled } from "../../analysis/os-packages-installed.js";
import type { Version } from "./uv-python.js";

/** The python3 each Ubuntu and Debian release ships, by tag word (`20.04`, `focal`, `bullseye`, `11`). */
const releasePython: Record<string, Version> = {
  "16.04": { major: 3, minor: 5 }, xenial: { major: 3, minor: 5 },
  "18.04": { major: 3, minor: 6 }, bionic: { major: 3, minor: 6 },
  "20.04": { major: 3, minor: 8 }, focal: { major: 3, minor: 8 },
  "22.04": { major: 3, minor: 10 }, jammy: { major: 3, minor: 10 },
  "24.04": { major: 3, minor: 12 }, noble: { major: 3, minor: 12 },
  "9": { major: 3, minor: 5 }, stretch: { major: 3, minor: 5 },
  "10": { major: 3, minor: 7 }, buster: { major: 3, minor: 7 },
  "11": { major: 3, minor: 9 }, bullseye: { major: 3, minor: 9 },
  "12": { major: 3, minor: 11 }, bookworm: { major: 3, minor: 11 },
  "13": { major: 3, minor: 13 }, trixie: { major: 3, minor: 13 },
};

/**
 * The Python X.Y of an ubuntu or debian image whose build installs python3 with apt (`ubuntu:20.04`
 * with `apt-get install -y python3-pip` runs 3.8): the release's own python3. Undefined for other
 * images, floating tags, or when no step installs python3.
 */
export function distroPython(facts: Facts): Version | undefined {
  const image = facts.resolvedImage;
  if (!["ubuntu", "debian"].includes(image.name) || !new RegExp(`^(library/)?${image.name}$`).test(image.repository) || image.digest !== "") return undefined;
  const release = /^([a-z]+|\d+(?:\.\d+)?)/.exec(image.tag)?.[1];
  const version = release === undefined ? undefined : releasePython[image.name === "debian" ? release.replace(/\.\d+$/, "") : release];
  if (!version) return undefined;
  return osPackagesInstalled(facts).some((p) => /^python3(-pip|-dev|-venv|-minimal)?([=:]|$)/.test(p)) ? version : undefined;
}
