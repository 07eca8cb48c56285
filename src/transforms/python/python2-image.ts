import { osPackageStep } from "../../analysis/commands.js";
import type { Facts } from "../../analysis/facts.js";

const python2Package = /^(python|python2(\.\d+)?|python-(pip|dev|setuptools|virtualenv|wheel))$/;

/**
 * Whether the image runs Python 2: an official python:2 tag, or an image whose package manager
 * installs Python 2's packages (`apt-get install python-pip` on ubuntu:18.04) and none of Python 3's.
 */
export function runsPython2(facts: Facts): boolean {
  if (facts.resolvedImage.name === "python") return /^2(\.|-|$)/.test(facts.resolvedImage.tag);
  const packages = facts.body.flatMap((e) => (e.run?.segments ?? []).flatMap((s) => osPackageStep(s.argv)?.packages ?? [])).map((p) => p.replace(/[=:].*$/, ""));
  return packages.some((p) => python2Package.test(p)) && !packages.some((p) => /^python3/.test(p));
}
