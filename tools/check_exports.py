#!/usr/bin/env python3
"""Checks claimgraph's exports the way their users' tools read them.

usage:
  check_exports.py stix BUNDLE.json [SCHEMA_DIR]
      every object against the OASIS STIX 2.1 JSON schemas (SCHEMA_DIR, default
      ../shared/eval/stix2/schemas beside the repository, else the copy in
      tools/stix2-schemas; needs the `jsonschema` package), then
      `stix2_validator --strict` (package `stix2-validator`): no errors, no warnings.
  check_exports.py csv FILE...
      each file loads in pandas with warnings as errors (package `pandas`), and in R
      with options(warn = 2) when `Rscript` is installed.
  check_exports.py geojson FILE
      RFC 7946: a FeatureCollection of Features with Point geometries ([longitude,
      latitude] in range) or null geometry, and object properties.

A check whose tool is missing fails, unless CLAIMGRAPH_ALLOW_MISSING_TOOLS=1 (for
machines without them; CI installs them all). Exit status 0 only when every check ran
and passed.
"""
import json
import os
import shutil
import subprocess
import sys
import warnings

ALLOW_MISSING = os.environ.get("CLAIMGRAPH_ALLOW_MISSING_TOOLS") == "1"


def missing(what):
    msg = f"{what} is not installed"
    if ALLOW_MISSING:
        print(f"skipped: {msg}")
        return
    sys.exit(f"error: {msg} (set CLAIMGRAPH_ALLOW_MISSING_TOOLS=1 to skip)")


def check_stix(path, schema_dir):
    bundle = json.load(open(path, encoding="utf-8"))
    try:
        import jsonschema
        from referencing import Registry, Resource
    except ImportError:
        missing("the jsonschema package")
    else:
        resources = []
        for root, _, files in os.walk(schema_dir):
            for f in files:
                if f.endswith(".json"):
                    schema = json.load(open(os.path.join(root, f), encoding="utf-8"))
                    resources.append((schema["$id"], Resource.from_contents(schema)))
        registry = Registry().with_resources(resources)

        def validator(sub, name):
            schema = json.load(open(os.path.join(schema_dir, sub, name + ".json"), encoding="utf-8"))
            return jsonschema.Draft202012Validator(schema, registry=registry)

        # The bundle itself: its own properties. Its `objects` are checked one by one
        # against their types' schemas below: the OASIS bundle schema's catch-all branch
        # for types it does not list (incident, location, note, extension-definition...)
        # is a oneOf of core.json and cyber-observable-core.json, which every domain
        # object matches twice, so it rejects valid objects.
        errors = []
        if bundle.get("type") != "bundle" or not str(bundle.get("id", "")).startswith("bundle--"):
            errors.append("bundle: type or id is wrong")
        if not isinstance(bundle.get("objects"), list) or not bundle["objects"]:
            errors.append("bundle: objects must be a non-empty array")
        cache = {}
        for obj in bundle["objects"]:
            t = obj["type"]
            if t not in cache:
                for sub in ("sdos", "sros", "common"):
                    if os.path.exists(os.path.join(schema_dir, sub, t + ".json")):
                        cache[t] = validator(sub, t)
                        break
                else:
                    errors.append(f"{obj['id']}: no OASIS schema for type {t}")
                    cache[t] = None
            if cache[t] is not None:
                errors += [f"{obj['id']}: {e.message}" for e in cache[t].iter_errors(obj)]
        if errors:
            sys.exit("OASIS schema errors:\n" + "\n".join(errors[:50]))
        print(f"OASIS schemas: {len(bundle['objects'])} objects valid")
    validator_bin = shutil.which("stix2_validator") or os.path.join(os.path.dirname(sys.executable), "stix2_validator")
    if not os.path.exists(validator_bin):
        missing("stix2_validator (pip install stix2-validator)")
        return
    # The validator wants a .json file name.
    out = subprocess.run([validator_bin, "--strict", path], capture_output=True, text=True)
    if out.returncode != 0 or "[X]" in out.stdout or "[!]" in out.stdout:
        sys.exit("stix2_validator --strict:\n" + out.stdout + out.stderr)
    print("stix2_validator --strict: valid, no warnings")


def check_csv(paths):
    try:
        import pandas as pd
    except ImportError:
        missing("pandas")
    else:
        for p in paths:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                df = pd.read_csv(p)
            print(f"pandas: {p}: {len(df)} rows, {len(df.columns)} columns")
    rscript = shutil.which("Rscript")
    if not rscript:
        missing("R (Rscript)")
        return
    for p in paths:
        code = f'options(warn = 2); x <- read.csv("{p}", stringsAsFactors = FALSE); cat(nrow(x), "rows\\n")'
        out = subprocess.run([rscript, "-e", code], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"R read.csv({p}) failed:\n{out.stderr}")
        print(f"R: {p}: {out.stdout.strip()}")


def check_geojson(path):
    fc = json.load(open(path, encoding="utf-8"))
    problems = []
    if fc.get("type") != "FeatureCollection" or not isinstance(fc.get("features"), list):
        problems.append("not a FeatureCollection with a features array")
    for i, f in enumerate(fc.get("features") or []):
        where = f"features[{i}]"
        if f.get("type") != "Feature":
            problems.append(f"{where}: type is not Feature")
        if "geometry" not in f:
            problems.append(f"{where}: no geometry member (null is allowed, absent is not)")
        g = f.get("geometry")
        if g is not None:
            c = g.get("coordinates")
            if g.get("type") != "Point" or not (isinstance(c, list) and len(c) in (2, 3)):
                problems.append(f"{where}: geometry is not a Point with 2 or 3 coordinates")
            elif not (-180 <= c[0] <= 180 and -90 <= c[1] <= 90):
                problems.append(f"{where}: coordinates {c} are not [longitude, latitude] in range")
        if "properties" not in f or not (f["properties"] is None or isinstance(f["properties"], dict)):
            problems.append(f"{where}: properties must be an object or null")
        if "id" in f and not isinstance(f["id"], (str, int, float)):
            problems.append(f"{where}: id must be a string or a number")
    if problems:
        sys.exit("GeoJSON (RFC 7946) problems:\n" + "\n".join(problems[:50]))
    print(f"GeoJSON: {len(fc['features'])} features valid per RFC 7946")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    kind = sys.argv[1]
    if kind == "stix":
        here = os.path.dirname(os.path.abspath(__file__))
        default = os.path.join(here, "..", "..", "shared", "eval", "stix2", "schemas")
        if not os.path.isdir(default):
            default = os.path.join(here, "stix2-schemas")
        check_stix(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else default)
    elif kind == "csv":
        check_csv(sys.argv[2:])
    elif kind == "geojson":
        check_geojson(sys.argv[2])
    else:
        sys.exit(__doc__)
