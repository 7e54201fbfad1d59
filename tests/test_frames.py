"""`discourse frames`: hand-checked true and false sentences for every shipped frame, the frames-file checks,
definition clusters and the command end to end on real Iriss.fm paragraphs."""

import csv
import io

import pytest

from discourse.errors import DiscourseError
from discourse.frames import FrameMatcher, definition_clusters, frame_counts, load_frames
from discourse.store.contexts import MentionContext

from .conftest import FIX, run_cli

MEANING = FIX / "meaning"


def ctx(sentence: str, term: str = "co-production", doc_id: str = "d") -> MentionContext:
    """A mention of ``term`` (its first occurrence, any case) whose stored sentence is ``sentence``."""
    a = sentence.lower().index(term.lower())
    return MentionContext(
        mention_id=f"{doc_id}:{a}",
        doc_id=doc_id,
        concept="co-production",
        variant=term,
        start_char=a,
        end_char=a + len(term),
        sent_start=0,
        sent_end=len(sentence),
        page=1,
        excluded=False,
        exclude_reason=None,
        title=None,
        date="2020",
        year=2020,
        source_type="lay",
        path="p",
        text=sentence,
    )


@pytest.fixture(scope="module")
def matcher():
    return FrameMatcher(load_frames())


def frames_of(matcher, sentence, term="co-production"):
    return {h.frame: h.cue for h in matcher(ctx(sentence, term))}


# (sentence, term) pairs, read one by one: TRUE = the frame is there, FALSE = it is not.
DEFINITION_TRUE = [
    "Co-production is about people who use services and professionals working together as equals.",
    "By co-production we mean designing and delivering services in an equal partnership.",
    "What we mean by co-production is sharing power with the people who use services.",
    "The term co-production was coined by Elinor Ostrom in the 1970s.",
    "Co-production, i.e. delivering services with citizens, is now national policy.",
    "Co-production (i.e. working with people rather than doing to them) takes time.",
    "Co-production, that is, the joint design of services, needs resources.",
    "Co-production can be defined as a relationship where professionals and citizens share power.",
    "Co-production refers to a way of working in which everyone is an equal partner.",
    "Co-production means that people are experts in their own lives.",
    "So maybe we need to step back and say, what exactly is co-production?",
    "So co-production, according to this article, is 'the provision of services through long term relationships'.",
]
DEFINITION_FALSE = [
    "Co-production is key to the new strategy.",  # evaluation, not definition
    "Co-production is a good thing, but it takes time.",  # evaluation through the not_before list
    "Co-production is a really important part of the work.",  # intensifier skipped, then evaluation
    "Co-production is the way forward for social care.",
    "The term of the contract ends before co-production starts.",  # "the term" is not about the concept
    "Our interest in co-production is how we can use it locally.",  # the subject is "interest"
    "People enjoyed co-production with the council.",
]
METALINGUISTIC_TRUE = [
    "Co-production has become a buzzword in Scottish policy.",
    "It's been a bit of a buzz word, co-production, over the years.",
    "It is difficult to define co-production in a sentence.",
    "Today is the first time I have heard the term co-production.",
    "The so-called co-production of services rarely shares power.",
    "We need to be clear about the concept of co-production.",
    "When somebody says the word co-production they think of meetings.",
    "They promise co-production of public services by workers, whatever that is.",
    "It is what some call co-production.",
    "In our current jargon, the assets, the co-production, we need to look wider.",
]
METALINGUISTIC_FALSE = [
    "Co-production in youth work can be as simple as planning a trip.",
    "The buzz at the event came from co-production with young people.",
    "A long-term co-production project is under way.",
    "We worked on the idea with the co-production group.",
]
HEDGE_TRUE = [
    "It was sort of co-production, but not really.",
    "The project was arguably co-production from the start.",
    "In theory, co-production shares power equally.",
    "What we did was co-production, so to speak.",
    "It is a form of co-production with carers.",
    "It is co-production to some extent.",
]
HEDGE_FALSE = [
    "This kind of co-production takes time.",  # a type, not a hedge
    "What sort of co-production do you mean?",
    "Co-production is hard work.",
    "We have sort of finished the building, and after a long meeting with the council about the budget on "
    "Tuesday afternoon we all agreed that co-production will start.",  # hedge far from the mention
]
SCARE_TRUE = [
    "So the current buzz word is 'co-production', and it can be off-putting.",
    "They call it “co-production” but nothing changed.",
    "The so-called „co-production“ was a consultation.",
    "The «co-production» label was everywhere.",
    'The "co-production" board met twice.',
    "They call it ‘co-production’ now.",
]
SCARE_FALSE = [
    "Co-production's principles are clear.",
    "The report 'Co-production in social care' was published in 2013.",
    "People talk about co-production.",
    "'Co-production works,' she said.",
]


@pytest.mark.parametrize(
    "frame,true,false",
    [
        ("definition", DEFINITION_TRUE, DEFINITION_FALSE),
        ("metalinguistic", METALINGUISTIC_TRUE, METALINGUISTIC_FALSE),
        ("hedge", HEDGE_TRUE, HEDGE_FALSE),
        ("scare_quotes", SCARE_TRUE, SCARE_FALSE),
    ],
)
def test_true_and_false_examples(matcher, frame, true, false):
    assert len(true) >= 4 and len(false) >= 3
    missed = [s for s in true if frame not in frames_of(matcher, s)]
    wrong = [s for s in false if frame in frames_of(matcher, s)]
    assert not missed and not wrong, (missed, wrong)


def test_other_concepts_and_cues(matcher):
    assert "definition" not in frames_of(matcher, "Partnership is key.", "Partnership")
    assert frames_of(matcher, "Partnership means sharing risk.", "Partnership")["definition"] == "Partnership means"
    assert frames_of(matcher, "The word 'co-production' is everywhere.")["metalinguistic"] == "The word 'co-production'"
    # a line break inside the sentence or the term does not hide a cue
    assert "definition" in frames_of(matcher, "By\nco-production   we\nmean sharing power.")


def test_definition_clusters_group_similar_definitions():
    defs = [
        "Co-production is about sharing power with people who use services.",
        "Co-production means sharing power with the people who use services as equals.",
        "Co-production is a term Elinor Ostrom coined for police working with citizens.",
        "By co-production we mean police and citizens working together, as Ostrom did.",
    ]
    assert definition_clusters(defs, {"co", "production", "co-production"}) == [1, 1, 2, 2]
    assert definition_clusters(defs[:1]) == [1] and definition_clusters([]) == []


def test_frame_counts_for_a_set_of_mentions():
    cs = [
        ctx(s, doc_id=f"d{i}")
        for i, s in enumerate(DEFINITION_TRUE[:3] + METALINGUISTIC_TRUE[:2] + DEFINITION_FALSE[:2] + SCARE_TRUE[:1])
    ]
    counts = frame_counts(cs)
    assert counts["mentions"] == 8 and counts["definition"] == 3 and counts["metalinguistic"] == 3
    assert counts["scare_quotes"] == 1 and counts["hedge"] == 0 and counts["distinct_definitions"] >= 1
    assert frame_counts([]) == {
        "mentions": 0,
        "definition": 0,
        "metalinguistic": 0,
        "hedge": 0,
        "scare_quotes": 0,
        "distinct_definitions": 0,
    }


@pytest.mark.parametrize(
    "text,error",
    [
        ("frames: [", "not valid YAML (line"),
        ("colour: red\nframes: {a: {cues: [x]}}", "colour: unknown key"),
        ("frames: {}", "frames: expected a non-empty mapping"),
        ("frames: {def: {cues: ['{Y} is']}}", "frames.def.cues[0]: '{Y} is': unknown placeholder '{Y}'"),
        ("frames: {def: {cues: [ok, 'is?']}}", "frames.def.cues[1]: 'is?': every part is optional"),
        ("frames: {def: {cues: '{X} is'}}", "frames.def.cues: expected a list of non-empty strings"),
        ("frames: {def: {cues: ['{X} is {X}']}}", "appears more than once"),
        ("frames: {q: {quoted: true}}", "frames.q.quoted: needs a non-empty top-level 'quotes' list"),
        ("frames: {q: {description: x}}", "frames.q: needs 'cues'"),
        ("frames: {h: {cues: [x], max_distance: -1}}", "frames.h.max_distance: expected a whole number"),
        ("frames: {h: {cues: [x], not_after: [no]}}", "frames.h.not_after: expected a list of non-empty strings"),
        ("frames: {Bad: {cues: [x]}}", "frames.Bad: a frame name is lower-case"),
    ],
)
def test_frames_file_errors_name_the_file_and_key(tmp_path, text, error):
    f = tmp_path / "f.yaml"
    f.write_text(text)
    with pytest.raises(DiscourseError) as e:
        load_frames(f)
    assert e.value.message.startswith(f"{f}: ") and error in e.value.message, e.value.message
    assert "\n" not in e.value.message


@pytest.mark.slow
def test_frames_command_on_real_paragraphs(tmp_path):
    db = tmp_path / "c.db"
    run_cli("ingest", MEANING / "lay", "--manifest", MEANING / "MANIFEST.csv", "-j", "1", db=db, check=0)
    p = run_cli("frames", "co-production", "--include-excluded", "-f", "csv", db=db, check=0)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert list(rows[0]) == [
        "concept",
        "frame",
        "mention_id",
        "doc_id",
        "date",
        "year",
        "source_type",
        "page",
        "sentence",
        "cue",
        "definition_cluster",
    ]
    cues = {(r["frame"], r["cue"]) for r in rows}
    assert {
        ("metalinguistic", "buzz word"),
        ("metalinguistic", "buzzword"),
        ("metalinguistic", "difficult to define"),
        ("definition", "what co-production is"),
    } <= cues
    assert all(r["definition_cluster"] for r in rows if r["frame"] == "definition")
    assert not any(r["definition_cluster"] for r in rows if r["frame"] != "definition")
    assert "distinct definition(s)" in p.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("frames: {x: {cues: ['{Z}']}}")
    e = run_cli("frames", "co-production", "--frames", bad, db=db, check=1)
    assert e.stderr.startswith(f"Error: {bad}: frames.x.cues[0]") and len(e.stderr.splitlines()) == 1
