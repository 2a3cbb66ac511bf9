"""The score command through a real subprocess; import purity; training determinism."""
import json
import os
import subprocess
import sys

from analysis.scoring.training import train

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def run_score(stdin, *args):
    """Run `python -m analysis score` with bytes on stdin; return the completed process."""
    return subprocess.run([sys.executable, "-m", "analysis", "score", *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=120, check=False)


def test_score_cli_json_plain_and_bad_lines():
    stdin = (b'{"id": "a", "text": "These are junk leads again."}\n'
             b"Thanks for the deck, it looks great!\n"
             b'{"id": "c", "text": \n'
             b"bad \xff\xfe utf-8\n"
             b'{"id": "e"}\n'
             b'{"id": "f", "text": "Nobody told us about the launch."}\n')
    process = run_score(stdin)
    lines = [json.loads(line) for line in process.stdout.decode().splitlines()]
    assert len(lines) == 6
    assert lines[0]["id"] == "a" and lines[0]["friction"][0]["category"] == "lead_quality"
    assert lines[1]["id"] == 2 and lines[1]["label"] == "calm"
    assert [lines[i].get("line") for i in (2, 3, 4)] == [3, 4, 5]
    assert all("error" in lines[i] for i in (2, 3, 4))
    assert lines[5]["friction"][0]["category"] == "communication_gap"
    stderr = process.stderr.decode()
    assert "line 3:" in stderr and "line 4: invalid UTF-8" in stderr and "line 5:" in stderr
    assert process.returncode == 1


def test_score_cli_all_good_lines_exit_zero():
    process = run_score(b"hello\n\nper my last email\n")
    assert process.returncode == 0
    assert len(process.stdout.splitlines()) == 3


def test_score_cli_extra_terms(tmp_path):
    extra = tmp_path / "terms.txt"
    extra.write_text("[lead_quality]\nzombie leads\n", encoding="utf-8")
    process = run_score(b"zombie leads again\n", "--extra-terms", str(extra))
    assert json.loads(process.stdout)["friction"][0]["category"] == "lead_quality"


def test_analysis_scoring_imports_no_web_stack():
    code = ("import sys, analysis.scoring, analysis.scoring.cli; "
            "analysis.scoring.score_text('junk leads'); "
            "bad = [m for m in ('flask', 'sqlalchemy', 'surveys', 'app') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    process = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                             text=True, timeout=120, check=False)
    assert process.returncode == 0, process.stdout + process.stderr


def test_no_nltk_download_in_scoring_code():
    folder = os.path.join(ROOT, "analysis", "scoring")
    for name in os.listdir(folder):
        if name.endswith(".py"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                assert "nltk.download" not in handle.read(), name


def write_tiny_corpus(path):
    """A small project-written corpus, enough for the training code path."""
    calm = ["Thanks for the list, looks great.", "Could you send the deck please?",
            "Great call today, notes to follow.", "The webinar is on Thursday.",
            "Happy to help with the slides.", "I updated the CRM notes."]
    tense = ["These leads are junk again.", "Nobody told us about the launch.",
             "Per my last email, still waiting.", "Sales never followed up, again.",
             "Not my job to fix your deck.", "You idiots broke the form."]
    lines = [f"calm\t{t}" for t in calm * 3] + [f"tense\t{t}" for t in tense * 3]
    path.write_text("# tiny test corpus\n" + "\n".join(lines) + "\n", encoding="utf-8")


def test_training_is_deterministic(tmp_path):
    corpus = tmp_path / "corpus.tsv"
    write_tiny_corpus(corpus)
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / f"{run}.json"
        train(None, str(out), params={"C": 1.0, "min_df": 1, "max_features": 500},
              corpus_path=str(corpus))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    model = json.loads(outputs[0])
    assert model["trained_on"] == ["project workplace corpus"]
