"""Scoring throughput against two floors, on generated corpora: what ``framing score`` costs.

Three corpora are generated here from the project's own vocabulary (the lexicon's terms and
party names, the voice rules' reporting verbs, and a list of everyday words written below), never
from copied text:

* ``dense``: 150-600 words of dense partisan framing (about a third of the words are lexicon
  terms, with clitics, constructs, adjectives, quotations and reported speech);
* ``wire``: 150-600 words of wire-like copy (names, reporting verbs, dates and numbers, a loaded
  word now and then, an Arabic-Indic digit or a no-break space here and there);
* ``long``: articles of 1 KB, 10 KB, 100 KB and 1 MB (dense text, few sentence breaks).

For each, in one run, on one core (the process and its children are pinned to one CPU):

* ``naive lookup``: the floor of any lexicon method, written here: normalise (delete diacritics
  and tatweel, unify alef, teh marbuta and yeh), split on whitespace, strip one proclitic, look
  the word up in a set. No phrases, targets, voices or offsets.
* ``JSON parse+dump``: ``json.loads`` and ``json.dumps`` of each corpus record, the floor of
  any command that reads and writes JSON Lines.
* ``Scorer.score``: normalisation, matching, attachment, voice, offsets and scores.
* ``Scorer.score, matches read``: the same, each score's ``score.matches`` read: a score from
  the compiled core makes its ``Match`` objects the first time they are read (the lean, the
  stances and the flat tables never read them; a researcher's loop over the evidence does).
* ``framing score --json``: the whole command in a child process (start-up, streaming read,
  scoring, JSON Lines out), and its peak memory. Its start-up (imports, reading the lexicon,
  building the automaton) is part of its time, as it is of a researcher's run: the default
  corpus is 5,000 articles, the size issue #16 measured. Children run with Python's bytecode
  cache on, as an installed package does (:func:`child_environment`).
* ``of the command``: where the command's time goes: its start-up alone (the same command on a
  corpus of one word), ``Scorer.score`` (the row above), the rendering of each score's JSON line
  (``JsonRenderer.encoded``, timed apart from the scoring), and the rest (reading, parsing and
  writing the lines); beside the JSON floor's time, for the budget of the 5x target.
* ``json.dumps of its output``: ``json.dumps`` of each line the command wrote, parsed beforehand
  (only the dump is timed): the floor of writing that much JSON, without reading or scoring
  anything. The command writes every match with its entry's fields, several times the bytes it
  reads, so the JSON floor above (which writes only what it read) is not what writing its output
  costs; the row says how many times the input the output is, and the command's time over this one.

Ratios are printed beside the articles/s: ``x naive`` (higher is better) and ``x JSON`` (how many
times the JSON floor's time the command takes; lower is better). With ``--jobs`` the CLI is also
run on every core of the machine (not pinned).

With ``--baseline PATH`` (a checkout of another commit, e.g. ``git worktree add /tmp/base 70c1cef``)
``Scorer.score`` and ``framing score --json`` are timed for both the code here and that checkout,
each in a child process that imports its own ``framing`` (the same Python and libraries), on the
same corpora, with the same measure, runs of the two taking turns: ``now/base`` is how many times
the baseline's CPU time the code here takes to do the same work (below 1: faster).

Usage: python benchmarks/bench_score.py [--articles N] [--seed S] [--jobs] [--baseline PATH]
       [--corpora dense wire long]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from framing import Scorer
from framing.voice import marker_forms

# Everyday words (ours) that carry no framing: the text between the lexicon's terms.
_COMMON = (
    "في من على إلى عن مع بعد قبل خلال منذ حتى أمس اليوم صباح مساء الليلة المدينة العاصمة المنطقة "
    "الطريق الساحلي الحي السكني السكان المحليين الجنوب الشمال الشرق الغرب قرب داخل خارج مصادر "
    "محلية الوضع الأمني الاجتماع الرسمي البيان الصادر الحكومي الميناء المطار الرئيسي الحدود "
    "المواطنين المستشفى الميداني الوفد الزائر المفاوضات الجارية الاتفاق النفط الكهرباء المياه "
    "الأسواق المدارس الطلاب المسافرين عدد كبير من عدة أيام ساعات الأسبوع الماضي الشهر المقبل "
    "وسط مخاوف بشأن تطورات الأحداث الأخيرة وقد وكان كما أن هذا هذه التي الذي"
)
COMMON = tuple(_COMMON.split())
WIRE_EXTRA = ("أفادت وكالة الأنباء بأن", "وفق ما نقلت مصادر", "بحسب بيان صدر", "في تصريح صحفي",
              "حسب ما أوردته وسائل الإعلام", "في مؤتمر صحفي عقده")
DIACRITICS = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"
RARE = ("\u00a0", "\t", "٢٠١٩", "١٥", "٣")


class Vocabulary:
    """The lexicon's words by role, and the voice rules' markers, for the generators."""

    def __init__(self, lexicon):
        def variants(**want):
            return [v for e in lexicon.entries if all(getattr(e, k) == x for k, x in want.items()) for v in e.variants]
        self.actors = variants(kind="actor")
        self.naming = variants(kind="naming")
        self.nouns = variants(kind="evaluative", attach="noun")
        self.adjs = variants(kind="evaluative", attach="adj")
        markers = marker_forms()
        self.verbs = [v for v in markers["report"] if not v.startswith(("و", "ف")) and len(v) > 2]
        self.report_nouns = markers["report_noun"]
        forms = {f for e in lexicon.entries if e.kind != "ignore" for f in e.forms}
        self.single_forms = frozenset(f for f in forms if " " not in f)


def _decorate(word: str, rng: random.Random, rare: float) -> str:
    r = rng.random()
    if r < 0.02:  # a diacritic or tatweel, as copy-pasted news carries
        k = rng.randrange(1, len(word) + 1)
        return word[:k] + rng.choice(DIACRITICS + "ـ") + word[k:]
    if r < 0.02 + rare:
        return word + " " + rng.choice(RARE)
    return word


def _filler(rng, n, rare):
    return " ".join(_decorate(rng.choice(COMMON), rng, rare) for _ in range(n))


def dense_sentence(v: Vocabulary, rng: random.Random, rare: float = 0.002) -> str:
    """A sentence of partisan framing: about a third of its words are lexicon terms."""
    def phrase():
        r = rng.random()
        if r < 0.25:
            return rng.choice(v.nouns) + " " + rng.choice(v.actors)  # construct
        if r < 0.40:
            return rng.choice(v.actors) + " " + rng.choice(v.adjs)  # adjective
        if r < 0.55:
            return rng.choice(v.naming)
        if r < 0.65:
            return rng.choice(("و", "")) + rng.choice(v.nouns).split(" ")[0] + rng.choice(("ها", "هم", "ه"))
        if r < 0.75:
            return rng.choice(("ال", "وال", "بال")) + rng.choice(v.nouns).removeprefix("ال")
        return rng.choice(v.actors)
    body = " ".join(phrase() + " " + _filler(rng, rng.randint(1, 3), rare) for _ in range(rng.randint(2, 4)))
    r = rng.random()
    if r < 0.2:
        return f"و{rng.choice(v.verbs)} {rng.choice(v.actors)} إن {body}."
    if r < 0.3:
        return f"{rng.choice(v.verbs)} {rng.choice(v.actors)}: «{body}»."
    if r < 0.35:
        return f"{rng.choice(v.actors)} {rng.choice(v.report_nouns)} أن {body}."
    return _filler(rng, rng.randint(1, 3), rare) + " " + body + rng.choice((".", ".", "،", "؛", "!"))


def wire_sentence(v: Vocabulary, rng: random.Random) -> str:
    """A sentence of wire copy: names and reporting verbs, a loaded word now and then."""
    parts = [_filler(rng, rng.randint(4, 9), 0.03)]
    r = rng.random()
    if r < 0.5:
        parts.insert(0, rng.choice(v.actors))
    if r < 0.25:
        parts.insert(0, rng.choice(v.verbs))
        parts.append("إن " + _filler(rng, rng.randint(3, 8), 0.03))
    if rng.random() < 0.1:
        parts.append(rng.choice(v.nouns + v.naming))
    if rng.random() < 0.3:
        parts.append(rng.choice(WIRE_EXTRA))
    return " ".join(parts) + "."


def article(v, rng, words: int, sentence) -> str:
    out, n = [], 0
    while n < words:
        s = sentence(v, rng)
        out.append(s)
        n += s.count(" ") + 1
        if rng.random() < 0.15:
            out.append("\n")
    return " ".join(out).replace(" \n ", "\n")


def long_article(v, rng, size: int) -> str:
    """About ``size`` bytes of dense text, with a paragraph break only every ~40 sentences."""
    out, n = [], 0
    while n < size:
        s = dense_sentence(v, rng).rstrip(".") + (".\n" if rng.random() < 0.025 else " و")
        out.append(s)
        n += len(s.encode()) + 1
    return "".join(out).encode()[:size].decode("utf-8", "ignore")


# ----------------------------------------------------------------------------- floors

_NAIVE_DELETE = re.compile("[\u064b-\u0652\u0670\u0640]")
PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def naive_lookup(text: str, forms: frozenset) -> int:
    """Lexicon words in ``text``: normalise, split, strip one proclitic, look up in a set."""
    text = _NAIVE_DELETE.sub("", text)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ة", "ه"), ("ى", "ي")):
        text = text.replace(a, b)
    found = 0
    for word in text.split():
        if word in forms:
            found += 1
            continue
        for p in PROCLITICS:
            if word.startswith(p) and word[len(p):] in forms:
                found += 1
                break
    return found


def json_floor(lines: list[str]) -> None:
    for line in lines:
        json.dumps(json.loads(line), ensure_ascii=False)


# ----------------------------------------------------------------------------- timing

def best_in_turns(fns, repeat: int) -> list[float]:
    """The least CPU time (seconds) of ``repeat`` runs of each of ``fns``, run in turns (each once,
    then each again): a ratio of two of them is taken on the machine as it was for both. Timed one
    after the other, on a host whose speed drifts within minutes, the ratio moved with the host.

    CPU time, not wall-clock time: other processes on a shared machine stretch the wall clock, not
    the work done."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - start)
    return best


SCORE_CHILD = """
import json, sys, time
from framing import Scorer
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
scorer = Scorer()
for text in texts[:20]:
    scorer.score(text)
best = float("inf")
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    for text in texts:
        scorer.score(text)
    best = min(best, time.process_time() - start)
print(best, sum(len(scorer.score(text).matches) for text in texts) / len(texts))
"""

CHILD = """
import re, sys
from framing.cli import main
code = main(sys.argv[1:])
status = open("/proc/self/status").read()
print(re.search(r"VmHWM:\\s+(\\d+)", status).group(1), file=sys.stderr)
sys.exit(code)
"""


#: The cores this process may run on, before main() pins it to one of them.
CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None


def child_environment() -> dict:
    """This process's environment for a timed child, with Python's bytecode cache on, as an
    installed package runs (pip writes its modules' bytecode at install; a clone's first run
    writes it): a machine that sets PYTHONDONTWRITEBYTECODE would otherwise have every start-up
    compile the modules' source again, which no researcher's run pays."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(code: str, argv: list[str], cpus, checkout: Path, stdout, pure=False) -> subprocess.CompletedProcess:
    """Run Python ``code`` in a child that imports ``framing`` from ``checkout`` (pinned to ``cpus``);
    with ``pure``, its Python modules rather than their compiled twins (``FRAMING_PURE_PYTHON``)."""
    def pin():
        # Every core unless told: a child inherits the affinity of this process, pinned to one core.
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, CORES if cpus is None else cpus)
    env = {**child_environment(), "PYTHONPATH": os.pathsep.join([str(checkout), os.environ.get("PYTHONPATH", "")])}
    env.pop("FRAMING_PURE_PYTHON", None)
    if pure:
        env["FRAMING_PURE_PYTHON"] = "1"
    return subprocess.run([sys.executable, "-c", code, *argv], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          check=True, cwd=checkout, preexec_fn=pin, env=env)


def child_score(path: Path, repeat: int, cpus, checkout: Path = ROOT, pure=False) -> tuple[float, float]:
    """Least CPU seconds of ``Scorer.score`` over the texts of ``path``, and matches per text, in a
    child importing ``checkout`` (with ``pure``, its Python modules)."""
    seconds, matches = _child(SCORE_CHILD, [str(path), str(repeat)], cpus, checkout, subprocess.PIPE,
                              pure).stdout.split()
    return float(seconds), float(matches)


def has_jobs_option(checkout: Path) -> bool:
    """Whether ``framing score`` of ``checkout`` has ``--jobs`` (older commits score on one core)."""
    return "--jobs" in _child("from framing.cli import main; main(['score', '--help'])", [], None, checkout,
                              subprocess.PIPE).stdout


def run_cli(argv: list[str], cpus=None, checkout: Path = ROOT) -> tuple[float, float, float]:
    """CPU seconds (of the command and its worker processes), wall-clock seconds and peak memory
    (MB, of the main process) of ``framing <argv>`` (imported from ``checkout``), its output to /dev/null."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        child = _child(CHILD, argv, cpus, checkout, sink)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall, int(child.stderr.strip().splitlines()[-1]) / 1024


def render_time(scorer, texts, repeat: int) -> float:
    """Least CPU seconds (of ``repeat`` runs) of rendering each text's score as ``framing score
    --json`` writes it (:meth:`framing.jsonl.JsonRenderer.encoded`), the scoring not timed."""
    from framing.jsonl import JsonRenderer

    renderer, best = JsonRenderer(scorer.lexicon), float("inf")
    for _ in range(repeat):
        spent = 0.0
        for text in texts:
            score = scorer.score(text, {"id": 0, "outlet": "bench"})
            start = time.process_time()
            renderer.encoded(score)
            spent += time.process_time() - start
        best = min(best, spent)
    return best


def output_floor(path: Path, repeat: int, cpus, tmp: Path) -> tuple[float, float]:
    """Least CPU seconds (of ``repeat`` runs) ``json.dumps`` takes to write the lines ``framing score
    path --json`` writes, each parsed beforehand, one at a time (a long corpus's output parsed whole
    would not fit in memory); and the output's MB."""
    out = tmp / "output.jsonl"
    with open(out, "w") as sink:
        _child(CHILD, ["score", str(path), "--json", "--jobs", "1"], cpus, ROOT, sink)
    best = float("inf")
    for _ in range(repeat):
        spent = 0.0
        with open(out, encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                start = time.process_time()
                json.dumps(record, ensure_ascii=False)
                spent += time.process_time() - start
        best = min(best, spent)
    megabytes = out.stat().st_size / 1e6
    out.unlink()
    return best, megabytes


def bench_corpus(name, texts, scorer, forms, tmp, repeat, jobs, describe, baseline=None):
    n = len(texts)
    lines = [json.dumps({"id": f"{name}-{k}", "outlet": "bench", "text": t}, ensure_ascii=False) for k, t in enumerate(texts)]
    megabytes = sum(len(t.encode()) for t in texts) / 1e6
    matches = sum(len(scorer.score(t).matches) for t in texts[:200]) / min(n, 200)
    print(f"\n[{name}] {n} articles, {describe}, {megabytes:.1f} MB, {megabytes * 1e6 / n:,.0f} bytes/article, "
          f"{matches:.1f} matches/article")
    # Each score dropped once made, as `framing score` streams them: a list of 5,000 scores (500,000
    # matches) would time the garbage collector walking it over and over, not scoring.
    t_naive, t_json, t_score, t_made = best_in_turns(
        [lambda: [naive_lookup(t, forms) for t in texts], lambda: json_floor(lines),
         lambda: deque(map(scorer.score, texts), maxlen=0),
         lambda: deque((scorer.score(t).matches for t in texts), maxlen=0)], repeat)
    path = Path(tmp) / f"{name.replace(' ', '_')}.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = {min(os.sched_getaffinity(0))}
    runs = [run_cli(["score", str(path), "--json", "--jobs", "1"], one) for _ in range(repeat)]
    t_cli, wall_one, peak = min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)

    def row(label, t, note=""):
        print(f"  {label:<26}{n / t:9,.0f} articles/s {megabytes / t:7.2f} MB/s  {t_naive / t:5.2f}x naive  "
              f"{t / t_json:5.1f}x JSON{note}")
    row("naive lookup", t_naive)
    row("JSON parse+dump", t_json)
    row("Scorer.score", t_score)
    row("Scorer.score, matches read", t_made)
    row("framing score --json", t_cli, f"  (peak {peak:.0f} MB)")
    # Where the command's time goes: its start-up alone (the same command on a corpus of one word:
    # an empty corpus is refused), the scoring (the row above) and the rendering of each score's
    # JSON line; the rest is reading, parsing and writing the lines.
    tiny = Path(tmp) / "one-word.jsonl"
    tiny.write_text('{"text": "نص"}\n', encoding="utf-8")
    t_start = min(run_cli(["score", str(tiny), "--json", "--jobs", "1"], one)[0] for _ in range(repeat))
    t_render = render_time(scorer, texts, repeat)
    print(f"  {'of the command':<26}start-up {t_start:.2f} s ({t_start / t_cli:.0%}), Scorer.score {t_score:.2f} s "
          f"({t_score / t_cli:.0%}), rendering {t_render:.2f} s ({t_render / t_cli:.0%}), the rest (reading, "
          f"parsing, writing) {t_cli - t_start - t_score - t_render:.2f} s; the JSON floor: {t_json:.2f} s")
    t_out, out_megabytes = output_floor(path, repeat, one, Path(tmp))
    row("json.dumps of its output", t_out, f"  (output {out_megabytes / megabytes:.1f}x the texts' MB; "
        f"the command takes {t_cli / t_out:.2f}x this)")
    # The same pipeline from its .py sources: what an install without a C compiler runs.
    t_pure = child_score(path, repeat, one, pure=True)[0]
    row("Scorer.score, Python only", t_pure, f"  (the compiled core scores {t_pure / t_score:.2f}x as fast)")
    if baseline is not None:
        compare_baseline(path, n, megabytes, repeat, one, baseline)
    if jobs:
        cores = len(CORES) if CORES else os.cpu_count()
        runs = [run_cli(["score", str(path), "--json", "--jobs", str(cores)]) for _ in range(repeat)]
        wall_all, peak_all = min(r[1] for r in runs), max(r[2] for r in runs)
        print(f"  wall clock: --jobs 1 {n / wall_one:,.0f} articles/s, --jobs {cores} {n / wall_all:,.0f} articles/s "
              f"({wall_one / wall_all:.2f}x; peak {peak_all:.0f} MB in the main process)")


def compare_baseline(path: Path, n: int, megabytes: float, repeat: int, cpus, baseline: tuple) -> None:
    """``Scorer.score`` and ``framing score --json`` here and in the baseline checkout, in child
    processes taking turns, on the corpus at ``path``."""
    checkout, label, base_jobs = baseline
    best, matches = {}, {}
    for _ in range(repeat):
        for who, where, jobs in (("now", ROOT, ["--jobs", "1"]), (label, checkout, base_jobs)):
            score, matches[who] = child_score(path, 1, cpus, where)
            cli = run_cli(["score", str(path), "--json", *jobs], cpus, where)[0]
            old = best.get(who, (float("inf"), float("inf")))
            best[who] = (min(old[0], score), min(old[1], cli))
    print(f"  baseline {label} (child processes, taking turns; its lexicon finds {matches[label]:.1f} matches/article, "
          f"today's {matches['now']:.1f}):")
    for k, what in enumerate(("Scorer.score", "framing score --json")):
        now, base = best["now"][k], best[label][k]
        print(f"  {what:<26}{n / now:9,.0f} articles/s now, {n / base:,.0f} at {label}: now/base {now / base:.2f} "
              f"({megabytes / now:.2f} vs {megabytes / base:.2f} MB/s)")


def baseline_checkout(parser, path: Path) -> tuple[Path, str]:
    """``--baseline PATH``: the checkout and its commit (short), or the parser's error when ``path``
    is not a checkout of framing."""
    checkout = path.resolve()
    if not (checkout / "framing" / "__init__.py").is_file():
        parser.error(f"--baseline must be a checkout of framing. Got {path} instead")
    head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], check=False,
                          capture_output=True, text=True)
    return checkout, head.stdout.strip() or checkout.name


def dense_lines(n: int, seed: int = 0):
    """The JSON lines of ``n`` dense articles of 150-600 words (id, outlet "bench", text): the
    corpus of ``bench_parallel.py`` and ``bench_outputs.py``, the same text for the same seed."""
    from framing.lexicon import load_lexicon

    vocab, rng = Vocabulary(load_lexicon()), random.Random(seed)
    for k in range(n):
        text = article(vocab, rng, rng.randint(150, 600), dense_sentence)
        yield json.dumps({"id": k, "outlet": "bench", "text": text}, ensure_ascii=False) + "\n"


def machine(scorer) -> str:
    """The machine, its load and the lexicon, for the first line of a benchmark's output."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?") if Path("/proc/cpuinfo").exists() else "?"
    scan = type(scorer._matcher._scanner).__name__  # CompiledScan when setup.py compiled the core
    core = "compiled core" if scan == "CompiledScan" else "pure Python (no compiled core)"
    return (f"machine: {os.cpu_count()} cores ({cpu}), load average {os.getloadavg()[0]:.1f}; Python "
            f"{sys.version.split()[0]}; {core}; lexicon {scorer.lexicon.name} ({len(scorer.lexicon.entries)} entries)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # 5,000: issue #16 states its targets for the CLI as measured on 5,000 articles, start-up included.
    parser.add_argument("--articles", type=int, default=5000, help="articles in the dense and wire corpora")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure; the fastest is printed")
    parser.add_argument("--jobs", action="store_true", help="also run the CLI with --jobs on every core")
    parser.add_argument("--baseline", type=Path, metavar="PATH",
                        help="a checkout of another commit to time on the same corpora (e.g. made with "
                             "`git worktree add /tmp/base 70c1cef`)")
    parser.add_argument("--corpora", nargs="+", choices=("dense", "wire", "long"), default=("dense", "wire", "long"))
    args = parser.parse_args()
    baseline = None
    if args.baseline is not None:
        checkout, label = baseline_checkout(parser, args.baseline)
        baseline = (checkout, label, ["--jobs", "1"] if has_jobs_option(checkout) else [])
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core for the in-process measures
    scorer = Scorer()
    vocab = Vocabulary(scorer.lexicon)
    rng = random.Random(args.seed)
    print(machine(scorer))
    print(f"articles/s are per CPU-second on one core (least CPU time of {args.repeat} runs, the naive "
          "lookup, JSON and Scorer.score in turns; the CLI's includes its start-up); x naive: speed over the "
          "naive lookup's; x JSON: time over JSON parse+dump's")
    if baseline is not None:
        print(f"baseline: {baseline[0]} at {baseline[1]}")
    # Every corpus is generated (in this order, from one seed) whichever are timed, so that each
    # is the same text in every run.
    dense = [article(vocab, rng, rng.randint(150, 600), dense_sentence) for _ in range(args.articles)]
    wire = [article(vocab, rng, rng.randint(150, 600), wire_sentence) for _ in range(args.articles)]
    with tempfile.TemporaryDirectory() as tmp:
        for name, texts, describe in (("dense", dense, "150-600 words of dense partisan framing"),
                                      ("wire", wire, "150-600 words of wire-like copy")):
            if name in args.corpora:
                bench_corpus(name, texts, scorer, vocab.single_forms, tmp, args.repeat, args.jobs, describe, baseline)
        del dense, wire
        if "long" not in args.corpora:
            return
        for size in (1_000, 10_000, 100_000, 1_000_000):
            texts = [long_article(vocab, rng, size) for _ in range(max(2, 2_000_000 // size))]
            bench_corpus(f"long {size // 1000:,} KB", texts, scorer, vocab.single_forms, tmp, args.repeat, args.jobs,
                         "dense text, a paragraph break every ~40 sentences (MB/s stays flat if every stage is linear)",
                         baseline)

if __name__ == "__main__":
    main()
