"""Every relative link of the user documentation resolves.

README.md, docs/*.md, configs/*/README.md and projects/*/README.md link to
each other, to configs and to pictures; a file that moves or a heading that
is renamed must not leave a dead link behind. A link ``path#anchor`` to a
Markdown file also needs a heading whose GitHub anchor is ``anchor``.
"""
import glob
import os.path as osp
import re

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAGES = sorted([osp.join(REPO, 'README.md')] +
               glob.glob(osp.join(REPO, 'docs', '*.md')) +
               glob.glob(osp.join(REPO, 'configs', '*', 'README.md')) +
               glob.glob(osp.join(REPO, 'projects', '*', 'README.md')))
# [text](target) and ![alt](target); the target ends at the first space or ')'
LINK = re.compile(r'!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
FENCE = re.compile(r'^\s*(```|~~~)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')


def _prose_lines(path):
    """The lines of ``path`` outside fenced code blocks."""
    inside = False
    with open(path, encoding='utf-8') as f:
        for line in f:
            if FENCE.match(line):
                inside = not inside
                continue
            if not inside:
                yield line


def github_anchor(heading):
    """The anchor GitHub gives a heading: lower case, punctuation other than
    '-' and '_' dropped, spaces to '-'."""
    text = re.sub(r'[^\w\- ]', '', heading.strip().lower())
    return text.replace(' ', '-')


def anchors(path):
    """Every heading anchor of a Markdown file (repeats get -1, -2, ...)."""
    seen, out = {}, set()
    for line in _prose_lines(path):
        m = HEADING.match(line)
        if not m:
            continue
        base = github_anchor(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f'{base}-{n}')
    return out


def relative_links(path):
    for line in _prose_lines(path):
        for target in LINK.findall(line):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I):
                continue  # http:, https:, mailto:, ...
            yield target


def test_the_pages_exist():
    names = {osp.relpath(p, REPO) for p in PAGES}
    for page in ('README.md', 'docs/get_started.md', 'docs/pipeline.md',
                 'docs/own_data.md', 'docs/benchmark.md', 'docs/downstream.md',
                 'docs/checkpoints.md', 'docs/provenance.md',
                 'docs/results.md'):
        assert page in names, f'{page} is missing'
    for method in ('cam', 'ficklenet', 'single_stage', 'multi_seed', 'dcp',
                   'full'):
        assert f'configs/{method}/README.md' in names


def test_github_anchor():
    assert github_anchor('Single-stage (Araslanov & Roth, CVPR\'20)') == \
        'single-stage-araslanov--roth-cvpr20'
    assert github_anchor('Part-and-body (the default, `BENCH_SET=partbody`)') \
        == 'part-and-body-the-default-bench_setpartbody'


@pytest.mark.parametrize('page', PAGES, ids=lambda p: osp.relpath(p, REPO))
def test_relative_links_resolve(page):
    bad = []
    for target in relative_links(page):
        file_part, _, anchor = target.partition('#')
        dest = page if not file_part else osp.normpath(
            osp.join(osp.dirname(page), file_part))
        if not osp.exists(dest):
            bad.append(f'{target} (no {osp.relpath(dest, REPO)})')
        elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
            bad.append(f'{target} (no heading #{anchor})')
    assert not bad, f'{osp.relpath(page, REPO)}: dead links: ' + ', '.join(bad)


def test_metafile_readmes_exist():
    """Each metafile's collection names its README (OpenMMLab's model index,
    configs/<method>/metafile.yaml): a path from the repository root, as in
    mmseg's metafiles, to a page beside the configs (shipped in .mim)."""
    bad = []
    paths = sorted(glob.glob(osp.join(REPO, 'configs', '*', 'metafile.yaml')))
    assert paths
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for line in f:
                m = re.match(r'^\s+README:\s*(\S+)\s*$', line)
                if not m:
                    continue
                target = m.group(1).partition('#')[0]
                if not (target.startswith('configs/')
                        and osp.isfile(osp.join(REPO, target))):
                    bad.append(f'{osp.relpath(path, REPO)}: {m.group(1)}')
    assert not bad, 'metafile READMEs that do not exist: ' + ', '.join(bad)
