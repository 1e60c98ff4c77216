"""Lexicon loading: every malformed file is reported as file:line with a useful message."""

import hashlib
import re
import shutil

import pytest

from framing import LexiconError, load_lexicon
from framing.lexicon import available_lexicons

from .conftest import DATA

HEADER = "term\tkind\tparty\tpolarity\tattach\tcategory\tweight\tgloss"
GOOD = "مرتزقة\tevaluative\t\tunfavorable\tnoun\tforeign_backing\t1\tmercenaries"


def _lexicon(tmp_path, terms=None, parties=None):
    d = tmp_path / "lx"
    shutil.copytree(DATA / "mini", d)
    if terms is not None:
        (d / "terms.tsv").write_text(terms, encoding="utf-8")
    if parties is not None:
        (d / "parties.tsv").write_text(parties, encoding="utf-8")
    return d


BAD_TERMS = [
    # (terms.tsv content, line named in the error, words the message must contain)
    (f"# comment\n{HEADER}\nمرتزقة\tevaluativ\t\tunfavorable\tnoun\tx\t1\tg\n", 3, "kind must be one of"),
    (f"{HEADER}\n{GOOD}\nحفتر\tactor\tlnaa\t\t\t\t\tHaftar\n", 3, "party must be one of"),
    (f"{HEADER}\nحفتر\tactor\t\t\t\t\t\tHaftar\n", 2, "an actor entry needs a party"),
    (f"{HEADER}\nحفتر\tactor\tlna\tfavorable\t\t\t\tHaftar\n", 2, "an actor entry takes no polarity. Got 'favorable' instead"),
    # a row typed with spaces for tabs; a row with columns left out at its end reads them as empty
    (f"{HEADER}\nعملاء evaluative unfavorable noun x 1 g\n", 2, "no tab in the row: its fields must be separated by tabs"),
    (f"{HEADER}\nعملاء\tevaluative\t\tunfavorable\tnoun\n", 2, "an evaluative entry needs a weight"),
    (f"{HEADER}\nمرتزقة\tevaluative\tgna\tunfavorable\tnoun\tx\t1\tg\n", 2, "takes no party"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tbad\tnoun\tx\t1\tg\n", 2, "polarity must be"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\tverb\tx\t1\tg\n", 2, "attach must be noun or adj"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\tnoun\tx\theavy\tg\n", 2, "weight must be a number"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\tnoun\tx\t9\tg\n", 2, "weight must be in"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\tnoun\tx\t1\t\n", 2, "English gloss"),
    (f"{HEADER}\nmercenaries\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 2, "term must be Arabic"),
    (f"{HEADER}\n{GOOD}\nمُرتزقة\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 3, "already an entry at"),
    (f"{HEADER}\n{GOOD}\tone too many\n", 2, "fields, the header has 8"),
    # a word the voice rules read and the scan never gives as a match (a reporting verb may be a term)
    (f"{HEADER}\n{GOOD}\nمؤكدا\tevaluative\t\tunfavorable\tnoun\tx\t1\tstressing\n", 3, "a word the voice rules read"),
    (f"{HEADER}\n{GOOD}\nوصف\tevaluative\t\tunfavorable\tnoun\tx\t1\tdescribed\n", 3, "a word the voice rules read"),
    ("term\tkind\tgloss\n", 1, "header must be the columns"),
    ("term\tkind\tgloss\n", 1, "(and optionally bare) separated by tabs"),
    # the bare party: evaluative entries only, and a party of the lexicon
    (f"{HEADER}\tbare\nحفتر\tactor\tlna\t\t\t\t\tHaftar\tgna\n", 2, "an actor entry takes no bare. Got 'gna' instead"),
    (f"{HEADER}\tbare\nالمعترف بها دوليا\tnaming\tgna\tfavorable\t\tx\t1\tg\tgna\n", 2, "a naming entry takes no bare"),
    (f"{HEADER}\tbare\n{GOOD}\tgnaa\n", 2, "bare must be one of lna, gna"),
    # without the column in the header, a ninth field is one too many, not a bare party
    (f"{HEADER}\n{GOOD}\tgna\n", 2, "fields, the header has 8"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\tnoun\tBad Category\t1\tg\n", 2, "category must be"),
    (f"{HEADER}\nمرتزقة\tevaluative\t\tunfavorable\t\tx\t1\tg\n", 2, "an evaluative entry needs an attach"),
    # a variant that normalises to nothing would match every word (issue #15)
    (f"{HEADER}\nـــ\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 2, "no Arabic letter left once normalised"),
    (f"{HEADER}\n{GOOD}\nعملاء|\u200bـ\u200c\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 3,
     "term variant '\\u200bـ\\u200c' has no Arabic letter"),
    (f"{HEADER}\nـ\u064e\u064fـ\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 2, "no Arabic letter left"),
    (f"{HEADER}\n{GOOD}\n\ufeffـ\tevaluative\t\tunfavorable\tnoun\tx\t1\tg\n", 3, "no Arabic letter left"),
]


@pytest.mark.parametrize("terms,line,words", BAD_TERMS)
def test_bad_terms_name_file_and_line(tmp_path, terms, line, words):
    d = _lexicon(tmp_path, terms=terms)
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    message = str(err.value)
    assert message.startswith(f"{d / 'terms.tsv'}:{line}: "), message
    assert words in message


BAD_PARTIES = [
    ("id\tside\tname\tname_ar\tgloss\nlna lna LNA x g\n", 2, "no tab in the row"),
    ("id\tside\tname\tname_ar\tgloss\nlna\tlna\tLNA\tx\tg\nlna\tlna\tLNA\tx\tg\n", 3, "already defined"),
    ("id\tside\tname\tname_ar\tgloss\nlna\tlna\tLNA\tx\tg\ngna\tnone\tGNA\tx\tg\n", 3, "side of 'gna'"),
    ("id\tside\tname\tname_ar\tgloss\nLNA\tLNA\tLNA\tx\tg\n", 2, "party id must be"),
]


@pytest.mark.parametrize("parties,line,words", BAD_PARTIES)
def test_bad_parties(tmp_path, parties, line, words):
    d = _lexicon(tmp_path, parties=parties)
    with pytest.raises(LexiconError, match=words) as err:
        load_lexicon(d)
    assert str(err.value).startswith(f"{d / 'parties.tsv'}:{line}: ")


def test_non_utf8_lexicon_names_the_line(tmp_path):
    d = _lexicon(tmp_path)
    (d / "terms.tsv").write_bytes(f"{HEADER}\n{GOOD}\n".encode() + "عملاء".encode("cp1256") + b"\tactor\n")
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    assert str(err.value) == f"{d / 'terms.tsv'}:3: not UTF-8 text (byte 0xda at column 1); save the file as UTF-8"


def test_a_lexicon_saved_with_a_byte_order_mark_loads(tmp_path):
    d = _lexicon(tmp_path)
    for name in ("terms.tsv", "parties.tsv"):
        (d / name).write_bytes(b"\xef\xbb\xbf" + (DATA / "mini" / name).read_bytes())
    assert len(load_lexicon(d).entries) == len(load_lexicon(DATA / "mini").entries)


def test_an_unreadable_lexicon_is_one_line(tmp_path, monkeypatch):
    d = _lexicon(tmp_path)
    terms = d / "terms.tsv"
    real = type(terms).read_bytes

    def refuse(self):
        if self == terms:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(type(terms), "read_bytes", refuse)
    with pytest.raises(LexiconError) as err:
        load_lexicon(d)
    assert str(err.value) == f"{terms}: cannot read the lexicon: permission denied"


def test_unknown_lexicon_lists_available():
    with pytest.raises(LexiconError, match="unknown lexicon 'nope'"):
        load_lexicon("nope")


def test_good_lexicon_loads(mini):
    lx = mini.lexicon
    assert lx.sides == ("lna", "gna")
    assert lx.side_of("turkey") == "gna"
    # Each match's source is the row relative to the lexicon: the same wherever it is installed.
    lines = (lx.path / "terms.tsv").read_text(encoding="utf-8").splitlines()
    for e in lx.entries:
        assert re.fullmatch(r"terms\.tsv:\d+", e.source), e.source
        assert lines[int(e.source.split(":")[1]) - 1].startswith(e.term), e.source
    # The digest models and caches are keyed by: SHA-256 of both files, as hashlib gives it (the
    # lexicon hashes with CPython's own module, not hashlib's, to start faster).
    files = (lx.path / "parties.tsv").read_bytes() + b"\0" + (lx.path / "terms.tsv").read_bytes()
    assert lx.sha256 == hashlib.sha256(files).hexdigest()


def test_user_lexicon_directory_by_env(tmp_path, monkeypatch):
    _lexicon(tmp_path)
    monkeypatch.setenv("FRAMING_LEXICONS", str(tmp_path))
    assert "lx" in available_lexicons()
    assert load_lexicon("lx").name == "lx"
