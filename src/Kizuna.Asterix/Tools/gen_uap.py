#!/usr/bin/env python3
"""Generates the UAP shape tables (Cat*/Cat*Uap.g.cs) from zoranbosnjak/asterix-specs text definitions.

Usage: gen_uap.py <specs dir> <output src/Kizuna.Asterix dir>
Only item *shapes* (fixed / extended / repetitive / explicit / compound and their byte sizes) are
generated; the meaning of the fields is hand-written in each category's decoder.
"""
import re, sys, os

def tree(lines):
    root = {"text": None, "kids": [], "ind": -1}
    stack = [root]
    for raw in lines:
        if not raw.strip():
            continue
        ind = len(raw) - len(raw.lstrip(' '))
        node = {"text": raw.strip(), "kids": [], "ind": ind}
        while stack[-1]["ind"] >= ind:
            stack.pop()
        stack[-1]["kids"].append(node)
        stack.append(node)
    return root

VARKW = ("element", "group", "extended", "repetitive", "explicit", "compound")

def variation_of(node):
    for k in node["kids"]:
        if k["text"].split(" ")[0] in VARKW:
            return k
    raise ValueError("no variation in " + node["text"])

def bits(var):
    kw = var["text"].split(" ")
    if kw[0] == "element":
        return int(kw[1])
    if kw[0] == "group":
        total = 0
        for k in var["kids"]:
            t = k["text"].split(" ")
            if t[0] == "spare":
                total += int(t[1])
            else:
                total += bits(variation_of(k))
        return total
    raise ValueError("bits of " + var["text"])

def shape(name, var):
    kw = var["text"].split(" ")
    if kw[0] in ("element", "group"):
        b = bits(var)
        assert b % 8 == 0, (name, b)
        return f'ItemShape.Fixed("{name}", {b // 8})'
    if kw[0] == "extended":
        parts, cur = [], 0
        for k in var["kids"]:
            t = k["text"].split(" ")
            if t[0] == "-":
                parts.append((cur + 1) // 8); assert (cur + 1) % 8 == 0, (name, cur); cur = 0
            elif t[0] == "spare":
                cur += int(t[1])
            else:
                cur += bits(variation_of(k))
        if cur == 0:
            fxlast = "true"
        else:
            assert cur % 8 == 0, (name, cur); parts.append(cur // 8); fxlast = "false"
        return f'ItemShape.Extended("{name}", [{", ".join(map(str, parts))}], lastHasFx: {fxlast})'
    if kw[0] == "repetitive":
        elem = var["kids"][0]
        b = bits(elem)
        if kw[1] == "fx":
            assert (b + 1) % 8 == 0, (name, b)
            return f'ItemShape.RepetitiveFx("{name}", {(b + 1) // 8})'
        assert b % 8 == 0, (name, b)
        return f'ItemShape.Repetitive("{name}", {b // 8}, counterBytes: {kw[1]})'
    if kw[0] == "explicit":
        return f'ItemShape.Explicit("{name}")'
    if kw[0] == "compound":
        subs = []
        for k in var["kids"]:
            t = k["text"].split(" ")
            if t[0] == "-":
                subs.append("ItemShape.Absent")
            else:
                subs.append(shape(t[0], variation_of(k)))
        return f'ItemShape.Compound("{name}", [{", ".join(subs)}])'
    raise ValueError(var["text"])

def generate(path):
    root = tree(open(path).read().splitlines())
    top = {k["text"].split(" ")[0]: k for k in root["kids"]}
    cat = top["asterix"]["text"].split(" ")[1]
    edition = top["edition"]["text"].split(" ")[1]
    items = {}
    for it in top["items"]["kids"]:
        nm = it["text"].split(" ")[0]
        items[nm] = it
    uaps = {}
    if "uap" in top:
        uaps[""] = [k["text"] for k in top["uap"]["kids"]]
    else:
        for v in top["uaps"]["kids"][0]["kids"]:
            uaps[v["text"]] = [k["text"] for k in v["kids"]]
    out = {}
    for uname, frns in uaps.items():
        entries = []
        for f in frns:
            if f == "-":
                entries.append("ItemShape.Absent")
            elif f == "rfs":
                entries.append("ItemShape.RandomFieldSequencing")
            else:
                entries.append(shape(f, variation_of(items[f])))
        out[uname] = entries
    return cat, edition, out

def main():
    specs, dst = sys.argv[1], sys.argv[2]
    files = {
        "048": ["cat048-cat-1.31.ast"],
        "034": ["cat034-cat-1.29.ast"],
        "001": ["cat001-cat-1.2.ast"],
        "002": ["cat002-cat-1.1.ast"],
        "021": ["cat021-cat-2.6.ast", "cat021-cat-2.1.ast", "cat021-cat-0.26.ast"],
        "062": ["cat062-cat-1.19.ast", "cat062-cat-1.16.ast"],
        "065": ["cat065-cat-1.5.ast"],
    }
    for cat, fl in files.items():
        lines = []
        for f in fl:
            c, ed, uaps = generate(os.path.join(specs, f))
            for uname, entries in uaps.items():
                field = "Ed" + ed.replace(".", "_") + (uname.capitalize() if uname else "")
                lines.append(f"    /// <summary>UAP of CAT{c} edition {ed}{' (' + uname + ')' if uname else ''}, generated from asterix-specs {f}.</summary>")
                lines.append(f'    public static readonly Uap {field} = new({int(c)}, "{ed}", "{uname}", [')
                for e in entries:
                    lines.append(f"        {e},")
                lines.append("    ]);")
                lines.append("")
        folder = os.path.join(dst, f"Cat{cat}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"Cat{cat}Uap.g.cs"), "w") as o:
            o.write("// <auto-generated> by src/Kizuna.Asterix/Tools/gen_uap.py from zoranbosnjak/asterix-specs (BSD-3-Clause). Do not edit. </auto-generated>\n")
            o.write(f"namespace Kizuna.Asterix.Cat{cat};\n\nusing Kizuna.Asterix.Common;\n\n")
            o.write(f"/// <summary>Item shapes of the CAT{cat} user application profile(s), by FRN.</summary>\n")
            o.write(f"internal static class Cat{cat}Uap\n{{\n")
            o.write("\n".join(lines).rstrip() + "\n}\n")

main()
