#!/usr/bin/env python3
"""Finds import circles between the modules of each crate in the workspace.

A module is a file under a crate's `src/` (`foo.rs` or `foo/mod.rs` is `foo`, `foo/bar.rs` is
`foo::bar`); it depends on another when its text names it through a `crate::` path
(`use crate::ledger::...`, `crate::ledger::post(..)`, `use crate::{ledger, rewards}`) or through
`super::` from a submodule. The crate root (`lib.rs`, `main.rs`) declares and wires the modules
and is left out: items it defines for everyone (an app state, a router) are not a layer.

Dependencies are counted between siblings: `a::x` naming `b::y` is `a` -> `b` at the top level,
and `a::x` naming `a::y` is `x` -> `y` inside `a`. A circle is a strongly connected set of two or
more siblings; every one found is printed with the edges that make it, and the exit status is 1.

    scripts/import-cycles.py [--allow FILE] [CRATE_DIR ...]   (default: every workspace member)

With `--allow FILE`, circles that were there before may stay while they shrink: each line of
FILE (`crate parent module module ...`; `#` starts a comment) names one, and a circle passes
when its modules are all in one such line. A new circle, or one that grew past its line, fails;
so does a line no circle needs any more, so that the list only ever gets shorter.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOTS = {"lib.rs", "main.rs"}


def members():
    text = (ROOT / "Cargo.toml").read_text()
    block = re.search(r"^members\s*=\s*\[(.*?)\]", text, re.S | re.M).group(1)
    return [ROOT / m for m in re.findall(r'"([^"]+)"', block)]


def module_path(src, file):
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] == "mod":
        parts.pop()
    return tuple(parts)


def strip_comments(text):
    """The code without comments, string literals (raw ones too) and char literals: paths in
    messages and SQL are not imports."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif m := re.compile(r'b?r(#*)"').match(text, i):
            if i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
                out.append(c)
                i += 1
                continue
            end = text.find('"' + m.group(1), m.end())
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            out.append('""')
        elif m := re.compile(r"'(?:\\.[^']*|[^'\\])'").match(text, i):
            i = m.end()
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def expand_use_tree(tree):
    """`{ledger, rewards::{a, b}}` -> ['ledger', 'rewards']: the first segment of each branch."""
    depth, start, heads = 0, 0, []
    tree = tree.strip()
    if not tree.startswith("{"):
        return [re.split(r"::|\s", tree, maxsplit=1)[0]]
    inner = tree[1:-1]
    for i, ch in enumerate(inner + ","):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            part = inner[start:i].strip()
            start = i + 1
            if part:
                heads.append(re.split(r"::|\s", part, maxsplit=1)[0])
    return heads


def referenced(text, here):
    """Absolute module paths (as tuples of names) that `text`, in module `here`, refers to."""
    found = set()
    for m in re.finditer(r"\bcrate::((?:\w+::)*)(\{[^;]*\}|\w+)", text):
        prefix = [p for p in m.group(1).split("::") if p]
        for head in expand_use_tree(m.group(2)) if m.group(2).startswith("{") else [m.group(2)]:
            found.add(tuple(prefix + [head]))
    for m in re.finditer(r"\b((?:super::)+)((?:\w+::)*)(\{[^;]*\}|\w+)", text):
        ups = m.group(1).count("super::")
        base = list(here[: max(len(here) - ups, 0)])
        prefix = [p for p in m.group(2).split("::") if p]
        for head in expand_use_tree(m.group(3)) if m.group(3).startswith("{") else [m.group(3)]:
            found.add(tuple(base + prefix + [head]))
    return found


def cycles_in(crate):
    src = crate / "src"
    if not src.is_dir():
        return []
    modules = {}
    for file in sorted(src.rglob("*.rs")):
        if file.parent == src and file.name in ROOTS:
            continue
        modules[module_path(src, file)] = strip_comments(file.read_text())
    known = set(modules)
    edges = {}  # (parent, a) -> {b: example}
    for here, text in modules.items():
        for target in referenced(text, here):
            # The longest known module the path starts with.
            while target and target not in known:
                target = target[:-1]
            if not target:
                continue
            # The first point where the two paths part: siblings under a common parent.
            common = 0
            while common < min(len(here), len(target)) and here[common] == target[common]:
                common += 1
            if common >= len(here) or common >= len(target):
                continue  # a module naming its own ancestor or descendant
            parent, a, b = here[:common], here[common], target[common]
            edges.setdefault((parent, a), {}).setdefault(b, "::".join(here) + " -> " + "::".join(target))
    found = []
    parents = {p for p, _ in edges}
    for parent in sorted(parents):
        graph = {a: set(bs) for (p, a), bs in edges.items() if p == parent}
        for scc in strongly_connected(graph):
            if len(scc) > 1:
                why = sorted(
                    edges[(parent, a)][b] for a in scc for b in graph.get(a, ()) if b in scc
                )
                found.append((crate.name, "::".join(parent) or "crate", sorted(scc), why))
    return found


def strongly_connected(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    nodes = set(graph) | {b for bs in graph.values() for b in bs}

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            out.append(scc)

    sys.setrecursionlimit(10000)
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def read_allowed(path):
    allowed = []
    for line in Path(path).read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            allowed.append((words[0], words[1], set(words[2:])))
    return allowed


def main(args):
    allowed = []
    if args[:1] == ["--allow"]:
        allowed, args = read_allowed(args[1]), args[2:]
    crates = [Path(a).resolve() for a in args] or members()
    found = []
    for crate in crates:
        found += cycles_in(crate)
    used, failing = set(), 0
    for crate, parent, scc, why in found:
        fits = [i for i, (c, p, mods) in enumerate(allowed) if c == crate and p == parent and set(scc) <= mods]
        used.update(fits)
        verdict = "known, may only shrink" if fits else "NEW"
        failing += 0 if fits else 1
        print(f"{crate}: circle among {parent}'s modules {{{', '.join(scc)}}} ({verdict})")
        for line in why:
            print(f"    {line}")
    for i, (crate, parent, mods) in enumerate(allowed):
        if i not in used and any(Path(c).name == crate for c in crates):
            failing += 1
            print(f"{crate}: the allowed circle among {parent}'s modules {{{', '.join(sorted(mods))}}} is gone: remove its line")
    print(f"import circles: {len(found)} in {len(crates)} crates, {failing} failing")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
