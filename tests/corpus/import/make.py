#!/usr/bin/env python3
"""Regenerates the bad-input corpus of the import (tests/corpus/import). Needs python3, ogr2ogr (GDAL >= 3.6) and zip.

Each file is one trap; cases.json says how each must be imported (arguments) and what must happen. The files are
committed, so the tests do not need GDAL; run this only to change the corpus:  python3 tests/corpus/import/make.py
"""
import json, os, shutil, sqlite3, struct, subprocess, tempfile, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = os.path.join(HERE, "files")


def square(x, y, d=0.001):
    return [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]


def feature(props, coords, kind="Polygon"):
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


def collection(*features, crs=None):
    doc = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc, ensure_ascii=False)


PARCELS = [
    feature({"BSM": "1", "DLBM": "0101", "DLMC": "水田", "ZLDWDM": "420984001"}, square(113.60, 30.60)),
    feature({"BSM": "2", "DLBM": "0301", "DLMC": "乔木林地", "ZLDWDM": "420984001"}, square(113.62, 30.61)),
    feature({"BSM": "3", "DLBM": "1104A", "DLMC": "养殖坑塘", "ZLDWDM": "420984002"}, square(113.64, 30.62)),
]


def write(name, data, mode="w"):
    path = os.path.join(FILES, name)
    with open(path, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
        f.write(data)
    return path


def ogr(*args):
    subprocess.run(["ogr2ogr", *args], check=True, capture_output=True)


def shapefile(geojson_text, srs="EPSG:4526", encoding="CP936", cpg=False, nlt="POLYGON", extra=()):
    """A folder holding layer.shp/.shx/.dbf/.prj made by ogr2ogr from GeoJSON in 4490."""
    work = tempfile.mkdtemp()
    src = os.path.join(work, "src.geojson")
    with open(src, "w", encoding="utf-8") as f:
        f.write(geojson_text)
    out = os.path.join(work, "out")
    os.mkdir(out)
    ogr("-f", "ESRI Shapefile", os.path.join(out, "DLTB.shp"), src, "-s_srs", "EPSG:4490", "-t_srs", srs,
        "-lco", f"ENCODING={encoding}", "-nlt", nlt, "-nln", "DLTB", *extra)
    if not cpg and os.path.exists(os.path.join(out, "DLTB.cpg")):
        os.remove(os.path.join(out, "DLTB.cpg"))
    return out


def zip_folder(name, folder, rename=None, drop=(), add=None):
    path = os.path.join(FILES, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(folder)):
            if os.path.splitext(f)[1].lower() in drop:
                continue
            arc = rename(f) if rename else f
            z.write(os.path.join(folder, f), arc)
        for arc, data in (add or {}).items():
            z.writestr(arc, data)
    return path


def patch(folder, ext, fn):
    path = os.path.join(folder, "DLTB" + ext)
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data = fn(data)
    with open(path, "wb") as f:
        f.write(data)


XIAN80 = ('PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],'
          'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],'
          'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],'
          'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')
BEIJING54 = XIAN80.replace("Xian_1980_3", "Beijing_1954_3").replace("GCS_Xian_1980", "GCS_Beijing_1954") \
    .replace('DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]', 'DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]]')
LAMBERT = ('PROJCS["CGCS2000_Lambert",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",'
           'SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
           'PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],'
           'PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",25.0],PARAMETER["Standard_Parallel_2",47.0],'
           'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


def main():
    shutil.rmtree(FILES, ignore_errors=True)
    os.makedirs(FILES)
    good = collection(*PARCELS)

    # --- the reference: the same three parcels as GeoJSON in EPSG:4490 (not a trap; the equivalence test reads it)
    write("landuse-4490.geojson", collection(*PARCELS, crs="urn:ogc:def:crs:EPSG::4490"))

    # --- GeoJSON
    write("empty-0-bytes.geojson", "")
    write("truncated-json.geojson", '{"type":"FeatureCollection","features":[{"type":"Feature",')
    write("plain-text.geojson", "this is a parcel list, not JSON\n")
    write("json-array.geojson", "[1, 2, 3]")
    write("empty-collection.geojson", collection())
    write("bowtie-self-intersection.geojson", collection(
        PARCELS[0], feature({"DLBM": "0103", "DLMC": "旱地"}, [[[113.70, 30.60], [113.71, 30.61], [113.71, 30.60], [113.70, 30.61], [113.70, 30.60]]])))
    write("unclosed-ring.geojson", collection(
        PARCELS[0], feature({"DLBM": "0103"}, [[[113.70, 30.60], [113.71, 30.60], [113.71, 30.61], [113.70, 30.61]]])))
    write("infinite-coordinate.geojson", collection(PARCELS[0]).replace('[113.6, 30.6]', '[1e999, 30.6]', 1))
    write("out-of-range-coordinate.geojson", collection(PARCELS[0], feature({"DLBM": "0103"}, square(213.7, 30.6))))
    write("points-only.geojson", collection(feature({}, [113.6, 30.6], "Point"), feature({}, [113.7, 30.7], "Point")))
    write("mixed-geometry-types.geojson", collection(
        PARCELS[0], feature({}, [113.6, 30.6], "Point"), feature({}, [[113.6, 30.6], [113.7, 30.7]], "LineString"),
        feature({"DLBM": "0102"}, [square(113.66, 30.63), square(113.67, 30.63)], "MultiPolygon")))
    write("unknown-geometry-type.geojson", collection(PARCELS[0], feature({}, [113.6, 30.6], "Circle")))
    write("projected-metres-as-crs84.geojson", collection(feature({}, square(38450000, 3300000, 100))))
    write("declared-web-mercator.geojson", collection(PARCELS[0], crs="EPSG:3857"))
    write("unknown-landuse-codes.geojson", collection(
        PARCELS[0], feature({"DLBM": "9999", "DLMC": "未知"}, square(113.70, 30.60)), feature({"DLBM": "1230", "DLMC": "田坎"}, square(113.72, 30.60))))
    write("tbmj-mismatch.geojson", collection(
        feature({"DLBM": "0101", "TBMJ": 10631.74}, square(113.60, 30.60)),
        feature({"DLBM": "0101", "TBMJ": 10000.0}, square(113.62, 30.60))))
    write("gcj02-web-map.geojson", good)
    write("empty-geometry.geojson", collection(PARCELS[0], feature({}, [], "Polygon")))
    write("null-geometry.geojson", collection(PARCELS[0], {"type": "Feature", "properties": {}, "geometry": None}))

    # --- zips and Shapefiles
    with open(os.path.join(FILES, "empty.zip"), "wb") as f:
        f.write(b"PK\x05\x06" + b"\x00" * 18)
    with open(os.path.join(FILES, "corrupt.zip"), "wb") as f:
        f.write(b"PK\x03\x04" + bytes(range(256)) * 4)
    with open(os.path.join(FILES, "random-bytes.bin"), "wb") as f:
        f.write(bytes((i * 7919) % 251 for i in range(4096)))

    base = shapefile(good)
    zip_folder("gk-zone38-gbk-no-cpg.zip", base)
    with zipfile.ZipFile(os.path.join(FILES, "zip-bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(base)):
            z.write(os.path.join(base, f), f)
        z.writestr("padding.dat", b"\0" * (64 << 20))
    zip_folder("path-traversal.zip", base, add={"../../evil.sh": "#!/bin/sh\necho pwned\n"})
    with zipfile.ZipFile(os.path.join(FILES, "absolute-path.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(os.listdir(base)):
            z.writestr(zipfile.ZipInfo("/tmp/eco/" + f), open(os.path.join(base, f), "rb").read())
    zip_folder("missing-dbf.zip", base, drop=(".dbf",))
    zip_folder("missing-prj.zip", base, drop=(".prj",))
    zip_folder("only-dbf.zip", base, drop=(".shp", ".shx", ".prj"))
    zip_folder("two-shapefiles.zip", base, add={
        "other/ZD." + ext[1:]: open(os.path.join(base, "DLTB" + ext), "rb").read() for ext in (".shp", ".shx", ".dbf", ".prj")})
    zip_folder("nested-folder-uppercase.zip", base, rename=lambda f: "三调/" + f.upper())

    truncated = shapefile(good)
    patch(truncated, ".shp", lambda d: d[: len(d) - 40])
    zip_folder("truncated-shp.zip", truncated)

    more = shapefile(good)
    patch(more, ".dbf", lambda d: d[:4] + struct.pack("<I", struct.unpack("<I", d[4:8])[0] + 5) + d[8:])
    zip_folder("dbf-declares-more-records.zip", more)

    fewer = shapefile(collection(*PARCELS[:2]))
    with open(os.path.join(fewer, "DLTB.dbf"), "rb") as f:
        dbf2 = f.read()
    three = shapefile(good)
    with open(os.path.join(three, "DLTB.dbf"), "wb") as f:
        f.write(dbf2)
    zip_folder("dbf-record-count-mismatch.zip", three)

    lines = shapefile(collection(feature({"DLBM": "1003"}, [[113.6, 30.6], [113.7, 30.7]], "LineString")), nlt="LINESTRING")
    zip_folder("lines-only.zip", lines)

    xian = shapefile(good, srs="EPSG:4547")
    write_prj(xian, XIAN80)
    zip_folder("xian1980-gk.zip", xian)
    beijing = shapefile(good, srs="EPSG:4547")
    write_prj(beijing, BEIJING54)
    zip_folder("beijing1954-gk.zip", beijing)
    lambert = shapefile(good, srs="EPSG:4547")
    write_prj(lambert, LAMBERT)
    zip_folder("unidentified-lambert-prj.zip", lambert)
    garbage = shapefile(good)
    write_prj(garbage, "hello, this is not a projection")
    zip_folder("garbage-prj.zip", garbage)

    lonlat = shapefile(good, srs="EPSG:4490")
    write_prj(lonlat, open(os.path.join(shapefile(good, srs="EPSG:4547"), "DLTB.prj")).read())
    zip_folder("lonlat-values-in-gk-file.zip", lonlat)
    no_prefix = shapefile(good, srs="EPSG:4547")
    write_prj(no_prefix, open(os.path.join(base, "DLTB.prj")).read())
    zip_folder("gk-missing-zone-prefix.zip", no_prefix)
    with_prefix = shapefile(good, srs="EPSG:4526")
    write_prj(with_prefix, open(os.path.join(shapefile(good, srs="EPSG:4547"), "DLTB.prj")).read())
    zip_folder("gk-prefix-in-cm-file.zip", with_prefix)

    z3d = shapefile(good, nlt="POLYGON25D", extra=("-dim", "XYZ"))
    zip_folder("polygonz-drops-z.zip", z3d)
    utf8 = shapefile(good, encoding="UTF-8", cpg=True)
    zip_folder("utf8-with-cpg.zip", utf8)
    utf8_no_cpg = shapefile(good, encoding="UTF-8")
    zip_folder("utf8-without-cpg.zip", utf8_no_cpg)

    nan = shapefile(good, srs="EPSG:4490")
    def nan_first_x(d):
        # record 1 content starts at 100 + 8; its 5 points follow 44 bytes of header + 4 bytes of part index.
        # The first and the closing point both get x = NaN, so the ring stays closed.
        for point in (0, 4):
            offset = 100 + 8 + 44 + 4 + 16 * point
            d = d[:offset] + struct.pack("<d", float("nan")) + d[offset + 8:]
        return d
    patch(nan, ".shp", nan_first_x)
    zip_folder("nan-coordinate.zip", nan)

    # --- GeoPackages
    ogr_gpkg("landuse.gpkg", good)
    ogr_gpkg("two-tables.gpkg", good, also="ZD")
    ogr_gpkg("lines.gpkg", collection(feature({}, [[113.6, 30.6], [113.7, 30.7]], "LineString")), nlt="LINESTRING")
    db = sqlite3.connect(os.path.join(FILES, "plain-sqlite.gpkg"))
    db.execute("CREATE TABLE parcels (id INTEGER PRIMARY KEY, name TEXT)")
    db.commit()
    db.close()
    print("wrote", len(os.listdir(FILES)), "files to", FILES)


def write_prj(folder, text):
    with open(os.path.join(folder, "DLTB.prj"), "w") as f:
        f.write(text)


def ogr_gpkg(name, geojson_text, also=None, nlt="PROMOTE_TO_MULTI"):
    work = tempfile.mkdtemp()
    src = os.path.join(work, "src.geojson")
    with open(src, "w", encoding="utf-8") as f:
        f.write(geojson_text)
    path = os.path.join(FILES, name)
    ogr("-f", "GPKG", path, src, "-a_srs", "EPSG:4490", "-nln", "DLTB", "-nlt", nlt)
    if also:
        ogr("-f", "GPKG", "-update", path, src, "-a_srs", "EPSG:4490", "-nln", also, "-nlt", nlt)


if __name__ == "__main__":
    main()
