"""Repacks pure-Python packages that Debian installed into dist-packages as wheels, for offline pip."""
import base64, csv, hashlib, io, os, re, subprocess, sys, zipfile

site = "/usr/lib/python3/dist-packages"
out = sys.argv[1]
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
# what Debian installed: a requirement on anything else is one Debian patched out (poetry-plugin-export)
present = {norm(e.rsplit(".", 1)[0].rsplit("-", 1)[0]) for e in os.listdir(site) if e.endswith((".dist-info", ".egg-info"))}
for entry in sorted(os.listdir(site)):
    if not entry.endswith((".dist-info", ".egg-info")):
        continue
    info = os.path.join(site, entry)
    # an egg-info may be a single PKG-INFO file rather than a directory (pexpect, ptyprocess)
    meta_file = info if os.path.isfile(info) else os.path.join(info, "METADATA" if entry.endswith(".dist-info") else "PKG-INFO")
    if not os.path.isfile(meta_file):
        continue
    stem = entry.rsplit(".", 1)[0]
    if "-" not in stem:  # an egg-info without a version in its name
        continue
    name, version = stem.rsplit("-", 1)
    top_file = os.path.join(info, "top_level.txt")
    # without top_level.txt: the import name, or a namespace path (poetry-core installs poetry/core)
    tops = open(top_file).read().split() if os.path.isfile(top_file) else [name.lower().replace("-", "_"), name.lower().replace("-", "/").replace("_", "/")]
    files = []
    for top in tops:
        for candidate in (os.path.join(site, top), os.path.join(site, top + ".py")):
            if os.path.isdir(candidate):
                for root, _, names in os.walk(candidate):
                    files += [os.path.join(root, n) for n in names if not n.endswith(".pyc")]
            elif os.path.isfile(candidate):
                files.append(candidate)
    if not files:
        continue
    dist = f"{name.replace('-', '_')}-{version}.dist-info"
    wheel_path = os.path.join(out, f"{name.replace('-', '_')}-{version}-py3-none-any.whl")
    record = io.StringIO()
    writer = csv.writer(record)
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(arcname, data):
            wheel.writestr(arcname, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            writer.writerow([arcname, f"sha256={digest}", len(data)])
        for f in files:
            add(os.path.relpath(f, site), open(f, "rb").read())
        # Debian installs one consistent set, sometimes newer than upstream's bounds (poetry 1.3.2
        # with dulwich 0.21): keep each requirement's name, extras and markers, not its version bounds
        metadata = re.sub(rb"(?m)^(Requires-Dist:\s*[A-Za-z0-9._-]+(?:\[[^\]]*\])?)\s*(?:\([^)]*\)|[<>=!~][^;\n]*)?\s*(;[^\n]*)?$",
                          lambda m: m.group(1) + (b" " + m.group(2) if m.group(2) else b""), open(meta_file, "rb").read())
        metadata = re.sub(rb"(?m)^Requires-Dist:\s*([A-Za-z0-9._-]+)[^\n]*\n",
                          lambda m: m.group(0) if norm(m.group(1).decode()) in present or b"extra ==" in m.group(0) else b"", metadata)
        # Debian unvendors libraries (urllib3 imports the system six) and records that only in the
        # package's Depends: restore those as requirements
        declared = {norm(m.decode()) for m in re.findall(rb"(?m)^Requires-Dist:\s*([A-Za-z0-9._-]+)", metadata)}
        owner = subprocess.run(["dpkg", "-S", info], capture_output=True, text=True).stdout.split(":")[0]
        depends = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", owner], capture_output=True, text=True).stdout if owner else ""
        for dep in re.findall(r"python3-([a-z0-9.-]+)", depends):
            if norm(dep) in present and norm(dep) not in declared and norm(dep) != norm(name):
                # a header: before the blank line that starts the description
                head, sep, body = metadata.partition(b"\n\n")
                metadata = head + f"\nRequires-Dist: {dep}".encode() + sep + body
                declared.add(norm(dep))
        add(f"{dist}/METADATA", metadata)
        entry_points = os.path.join(info, "entry_points.txt")
        if os.path.isfile(entry_points):  # console scripts (poetry, gunicorn) are made from it on install
            add(f"{dist}/entry_points.txt", open(entry_points, "rb").read())
        add(f"{dist}/WHEEL", b"Wheel-Version: 1.0\nGenerator: msb-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        writer.writerow([f"{dist}/RECORD", "", ""])
        wheel.writestr(f"{dist}/RECORD", record.getvalue())
    print("wheel", os.path.basename(wheel_path))
