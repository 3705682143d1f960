#!/usr/bin/env python3
"""Checks the module graph: every target's dependencies in Package.swift are exactly the package modules its
files import, and no front end imports the interpreter (MaplLang) or what lies under it (MaplEngine, MaplNN) —
a front end reaches the language through MaplRuntime and shows what it sends through MaplProtocol and
MaplRender. Prints each problem and exits 1 when there is one.

    python3 Tests/check-modules.py [ROOT]      # ROOT: the package folder (default: the current one)
"""
import os
import re
import sys

# Front ends and what they share: they may not import these.
FRONT_ENDS = ["MaplFrontEnd", "MaplNotebook", "MaplKernel", "MaplRichOutput"]
INTERPRETER = {"MaplLang", "MaplEngine", "MaplNN"}
# Package products imported under their own module names.
PRODUCTS = {"ArgumentParser"}

root = sys.argv[1] if len(sys.argv) > 1 else "."
with open(os.path.join(root, "Package.swift"), encoding="utf-8") as f:
    manifest = f.read()

# `.target(name: "X", dependencies: [...], path: "...")` and its kinds, each possibly over several lines.
target_start = re.compile(r'\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([^"]+)"')
targets = {}
for m in target_start.finditer(manifest):
    kind, name = m.group(1), m.group(2)
    # The call's text: up to its closing parenthesis.
    depth, i = 0, m.start() + len("." + kind)
    while i < len(manifest):
        depth += {"(": 1, ")": -1}.get(manifest[i], 0)
        i += 1
        if depth == 0:
            break
    call = manifest[m.start():i]
    deps = set()
    d = re.search(r'dependencies:\s*\[(.*?)\]\s*[,)]', call, re.S)
    if d:
        deps |= set(re.findall(r'product\(name:\s*"([^"]+)"', d.group(1)))
        deps |= set(re.findall(r'(?<!name:\s)"([^"]+)"', re.sub(r'\.product\([^)]*\)', "", d.group(1))))
    p = re.search(r'path:\s*"([^"]+)"', call)
    path = p.group(1) if p else os.path.join("Tests" if kind == "testTarget" else "Sources", name)
    targets[name] = {"kind": kind, "deps": deps, "path": path}

modules = set(targets) | PRODUCTS
executables = {n for n, t in targets.items() if t["kind"] == "executableTarget"}
import_line = re.compile(r'^\s*(?:@[\w]+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|func|var|let|protocol|typealias)\s+)?(\w+)', re.M)

problems = []
for name, t in sorted(targets.items()):
    if t["kind"] == "systemLibrary":
        continue
    folder = os.path.join(root, t["path"])
    imports = {}  # module -> first file importing it
    swift_files = 0
    for dirpath, _, files in os.walk(folder):
        for file in sorted(files):
            if not file.endswith(".swift"):
                continue
            swift_files += 1
            path = os.path.join(dirpath, file)
            with open(path, encoding="utf-8") as f:
                for module in import_line.findall(f.read()):
                    if module in modules and module != name:
                        imports.setdefault(module, os.path.relpath(path, root))
    if swift_files == 0:
        continue  # a C target: its headers say what it uses
    declared = t["deps"]
    for module in sorted(set(imports) - declared):
        problems.append(f"{name}: {imports[module]} imports {module}, which Package.swift does not list as a dependency")
    # A test may depend on an executable without importing it (the binary it runs is built first).
    for module in sorted(declared - set(imports) - executables):
        problems.append(f"{name}: Package.swift lists {module}, which none of its files imports")
    if name in FRONT_ENDS:
        for module in sorted(set(imports) & INTERPRETER):
            problems.append(f"{name} is a front end but {imports[module]} imports {module}: "
                            "reach the language through MaplRuntime, show its events with MaplProtocol and MaplRender")
        for module in sorted(declared & INTERPRETER):
            problems.append(f"{name} is a front end but Package.swift gives it {module}")

for p in problems:
    print(p)
print(f"modules: {len(targets)} targets checked, {len(problems)} problem{'s' if len(problems) != 1 else ''}")
sys.exit(1 if problems else 0)
