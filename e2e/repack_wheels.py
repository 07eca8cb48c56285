"""Repacks pure-Python packages that Debian installed into dist-packages as wheels, for offline pip."""
import base64, csv, hashlib, io, os, sys, zipfile

site = "/usr/lib/python3/dist-packages"
out = sys.argv[1]
for entry in sorted(os.listdir(site)):
    if not entry.endswith((".dist-info", ".egg-info")):
        continue
    info = os.path.join(site, entry)
    meta_file = os.path.join(info, "METADATA" if entry.endswith(".dist-info") else "PKG-INFO")
    if not os.path.isfile(meta_file):
        continue
    stem = entry.rsplit(".", 1)[0]
    if "-" not in stem:  # an egg-info without a version in its name
        continue
    name, version = stem.rsplit("-", 1)
    top_file = os.path.join(info, "top_level.txt")
    tops = open(top_file).read().split() if os.path.isfile(top_file) else [name.lower().replace("-", "_")]
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
        metadata = open(meta_file, "rb").read()
        add(f"{dist}/METADATA", metadata)
        entry_points = os.path.join(info, "entry_points.txt")
        if os.path.isfile(entry_points):  # console scripts (poetry, gunicorn) are made from it on install
            add(f"{dist}/entry_points.txt", open(entry_points, "rb").read())
        add(f"{dist}/WHEEL", b"Wheel-Version: 1.0\nGenerator: msb-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        writer.writerow([f"{dist}/RECORD", "", ""])
        wheel.writestr(f"{dist}/RECORD", record.getvalue())
    print("wheel", os.path.basename(wheel_path))
