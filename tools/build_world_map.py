#!/usr/bin/env python3
"""Builds crates/server/data/world.svg.txt: country outlines as SVG path data in an
equirectangular projection (x = longitude + 180, y = 90 - latitude, in degrees), for the
map page of `claimgraph serve`.

Source: Natural Earth 1:110m admin-0 countries (public domain), as TopoJSON in the npm
package world-atlas 2.0.2 (ISC). Fetch it with `npm pack world-atlas@2.0.2`, unpack, then
  python3 tools/build_world_map.py package/countries-110m.json > crates/server/data/world.svg.txt
Output: one line per country, `name<TAB>path data`.
"""
import json
import sys


def main(path):
    topo = json.load(open(path, encoding="utf-8"))
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(pts)

    def ring(indices):
        pts = []
        for i in indices:
            a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            pts.extend(a if not pts else a[1:])
        return pts

    out = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        if geom["type"] == "Polygon":
            polys = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polys = geom["arcs"]
        else:
            continue
        d = []
        for poly in polys:
            for r in poly:
                pts = ring(r)
                if len(pts) < 3:
                    continue
                # A ring crossing the antimeridian jumps by ~360 degrees: keep it
                # continuous (it runs past the edge and the viewport clips it) instead
                # of drawing a line across the whole map.
                shifted, offset, prev = [], 0.0, None
                for lon, lat in pts:
                    if prev is not None and abs(lon + offset - prev) > 180:
                        offset += 360 if lon + offset < prev else -360
                    prev = lon + offset
                    shifted.append((prev, lat))
                d.append("M" + "L".join(f"{lon + 180:.1f},{90 - lat:.1f}" for lon, lat in shifted) + "Z")
        if d:
            out.append(f"{name}\t{''.join(d)}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
