#!/usr/bin/env python3
"""Which folders of each target use which: an edge A -> B when a file in folder A names a type declared in folder B.

    scripts/folder-graph.py            print each target's edges and any cycle; exit 1 when there is a cycle
    scripts/folder-graph.py --why      also name, for each edge, the files and types that make it

The folders inside a target are meant to depend on each other one way only (docs/ARCHITECTURE.md).
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
DECL = re.compile(r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:public |internal |private |fileprivate |package |final |nonisolated |indirect )*"
                  r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)", re.M)
WORD = re.compile(r"\b[A-Z]\w*\b")
COMMENT = re.compile(r"//.*?$|/\*.*?\*/", re.M | re.S)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def folders(target):
    base = os.path.join(ROOT, target)
    result = {}
    for dirpath, _, files in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        folder = "." if rel == "." else rel.split(os.sep)[0]
        for name in files:
            if name.endswith(".swift"):
                result.setdefault(folder, []).append(os.path.join(dirpath, name))
    return result


def graph(target):
    by_folder = folders(target)
    declared = {}
    texts = {}
    for folder, files in by_folder.items():
        for path in files:
            text = STRING.sub('""', COMMENT.sub("", open(path, encoding="utf-8").read()))
            texts[path] = (folder, text)
            for name in DECL.findall(text):
                declared.setdefault(name, folder)
    edges = {}
    for path, (folder, text) in texts.items():
        for word in set(WORD.findall(text)):
            other = declared.get(word)
            if other and other != folder:
                edges.setdefault((folder, other), set()).add(f"{os.path.basename(path)}: {word}")
    return edges


def cycles(edges):
    nodes = {a for a, _ in edges} | {b for _, b in edges}
    adjacency = {n: sorted(b for a, b in edges if a == n) for n in nodes}
    found = []
    for start in sorted(nodes):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in adjacency[node]:
                if nxt == start:
                    cycle = path + [start]
                    if min(cycle[:-1]) == start:
                        found.append(cycle)
                elif nxt not in path and nxt > start:
                    stack.append((nxt, path + [nxt]))
    return found


def main():
    why = "--why" in sys.argv
    bad = False
    for target in sorted(os.listdir(ROOT)):
        if not os.path.isdir(os.path.join(ROOT, target)):
            continue
        edges = graph(target)
        if not edges:
            continue
        print(f"{target}:")
        for (a, b), reasons in sorted(edges.items()):
            print(f"  {a} -> {b}" + (f"   ({'; '.join(sorted(reasons)[:6])})" if why else ""))
        for cycle in cycles(edges):
            bad = True
            print(f"  CYCLE: {' -> '.join(cycle)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
