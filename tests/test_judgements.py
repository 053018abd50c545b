"""Harsh global judgements: families that must be flagged and families that must not (our own sentences)."""

from __future__ import annotations

import json

import pytest
import spacy

import mbtnlp
from mbtnlp.judgements import JudgementDetector

FLAG = [
    # (text, kind, target, who)
    ("My cousin is such a leech, honestly.", "label", "other", "My cousin"),
    ("ugh hes a total jerk", "label", "other", "he"),
    ("Jake and Priya always leave me out of everything.", "overgeneralization", "other", "Jake and Priya"),
    ("tom & jess are so fake its unreal", "trait", "other", "tom & jess"),
    ("shes a b*tch and everyone knows it", "label", "other", "she"),
    ("Our landlord is a complete psycho.", "label", "other", "Our landlord"),
    ("Marcus is so arrogant it hurts.", "trait", "other", "Marcus"),
    ("my flatmates are sooo lazy", "trait", "other", "my flatmates"),
    ("They're all two-faced.", "trait", "other", "They"),
    ("My stepdad never asks how I am.", "overgeneralization", "other", "My stepdad"),
    ("she always has to make it about her", "overgeneralization", "other", "she"),
    ("Nobody ever listens to me in this house.", "overgeneralization", "other", "Nobody"),
    ("He did it on purpose to make me look bad.", "mind_reading", "other", "He"),
    ("obviously she hates me", "mind_reading", "other", "she"),
    ("they just want to see me fail", "mind_reading", "other", "they"),
    ("I'm such a failure.", "label", "self", "I"),
    ("im so pathetic", "trait", "self", "I"),
    ("I always mess everything up.", "overgeneralization", "self", "I"),
]

NO_FLAG = {
    "negated": ["Dana isn't a liar, she just got the dates mixed up.", "I don't think my brother is lazy.",
                "im not saying shes selfish"],
    "hedged": ["Maybe he was just exhausted after the shift.", "I wonder if she felt left out of the plans.",
               "It felt like he didn't care, but I honestly can't tell."],
    "affection": ["you're such a goof, love you", "my sister is a little menace at board games and I adore her"],
    "reported": ["He called me a loser in front of his mates.", "my aunt said I was selfish for moving away",
                 'She yelled "you are pathetic" and slammed the door.'],
    "object": ["This printer is garbage.", "the train is always late on mondays", "this whole week was trash"],
    "positive": ["She is so generous.", "He always checks in on me after work.", "my boss is a total legend"],
    "specific_act": ["He forgot our anniversary and I felt hurt.", "What she said at dinner was unkind."],
    "question": ["Am I being selfish?", "is he a narcissist or am i overthinking?"],
    "neutral_frequency": ["We always get pizza on Fridays.", "She never drinks coffee after noon."],
    "retracted": ["I used to think he was a jerk, now we're good friends.",
                  "I wanted to call her a snake, but that's not fair."],
}


@pytest.mark.parametrize("text,kind,target,who", FLAG)
def test_flags_harsh_judgements(analyzer, text, kind, target, who):
    result = analyzer(text)
    assert result.judgements, f"not flagged: {text!r}"
    j = result.judgements[0]
    assert (j.kind, j.target) == (kind, target)
    assert j.who.lower() == who.lower()
    assert text[j.start:j.end] == j.text


@pytest.mark.parametrize("family,text", [(f, t) for f, ts in NO_FLAG.items() for t in ts])
def test_does_not_flag_hard_negatives(analyzer, family, text):
    assert analyzer(text).judgements == (), f"{family}: wrongly flagged {text!r}"


def test_messy_multi_sentence_entry(analyzer):
    text = ("Work was fine. Then Jess posted the photos from the party I wasn't at lol. shes sooo fake. "
            "I dont even care tbh.")
    result = analyzer(text)
    assert [j.kind for j in result.judgements] == ["trait"]
    assert result.judgements[0].who == "she"


def test_rules_and_word_lists_are_data_files():
    from mbtnlp.lexicon import resource_dir

    folder = resource_dir("judgements")
    rules = [json.loads(line) for line in (folder / "rules.jsonl").read_text().splitlines() if line.strip()]
    assert len(rules) > 20 and all({"id", "kind", "pattern"} <= set(r) for r in rules)
    assert (folder / "labels.tsv").read_text().count("\n") > 100


def test_extra_rules_extend_the_detector(tmp_path):
    rule = {"id": "user.grinch", "kind": "label", "severity": 0.6, "pattern": r"{who}{cop}{int}\s+grinch\b"}
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps(rule) + "\n")
    text = "My uncle is a total grinch."
    assert mbtnlp.load()(text).judgements == ()
    result = mbtnlp.load(extra_rules=str(path))(text)
    assert [j.rule for j in result.judgements] == ["user.grinch"]


def test_bad_rule_is_a_clear_error():
    with pytest.raises(ValueError, match="kind"):
        JudgementDetector().add_rules([{"id": "x", "kind": "insult", "pattern": "x"}])
    with pytest.raises(ValueError, match="compile"):
        JudgementDetector().add_rules([{"id": "x", "kind": "label", "pattern": "(unclosed"}])


def test_to_disk_from_disk_keeps_added_rules(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    det = nlp.add_pipe("mbtnlp_judgements")
    det.add_rules([{"id": "user.grinch", "kind": "label", "pattern": r"{who}{cop}{int}\s+grinch\b"}])
    nlp.to_disk(tmp_path / "pipe")
    nlp2 = spacy.load(tmp_path / "pipe")
    doc = nlp2("My uncle is a total grinch.")
    assert [j["rule"] for j in doc._.mbtnlp_judgements] == ["user.grinch"]
    det3 = JudgementDetector().from_bytes(det.to_bytes())
    assert any(r.id == "user.grinch" for r in det3.rules)


def test_abuse_context_is_not_flagged_as_a_judgement(analyzer):
    result = analyzer("He's a monster, he shoved me into the door last night.")
    assert result.safety.abuse
    assert [j for j in result.judgements if j.target == "other"] == []


def test_every_bundled_rule_compiles():
    """Rules compile on first use (fast start-up); this is where a bad bundled pattern would show."""
    from mbtnlp.judgements import JudgementDetector

    detector = JudgementDetector()
    for rule in detector.rules:
        assert rule.regex.pattern


ROUND_FIVE_FAMILIES = [
    ("the guys in my year never save me a seat", "overgeneralization", "the guys in my year"),
    ("The girls at my new school are all stuck-up snobs", "label", "The girls"),
    ("my brothers never tidy up after themselves", "overgeneralization", "my brothers"),  # base form of "tidies up"
    ("Those two are a pair of vultures.", "label", "Those two"),
    ("My cousin is a total busybody, and her sisters are busybodies too.", "label", "My cousin"),
    ("she only came to my party so shed get photos for her insta", "mind_reading", "she"),
    ("He only calls when he's lonely.", "mind_reading", "He"),
    ("Kev is only with Sara for her money", "mind_reading", "Kev"),
    ("My landlord is dragging it out because he wants the deposit", "mind_reading", "My landlord"),
    ("Our new manager is as thick as two short planks.", "trait", "Our new manager"),
]
ROUND_FIVE_LOOK_ALIKES = [
    "my nan never gives up on anyone, she's a legend",
    "Nobody said anything when the cake came out, we just ate it.",
    "I was a bit let down by the film, honestly.",
    "sam ur a dork but ur my dork",
    "My dad is a terrible singer and we love him for it.",
    "When I started at the club I thought the coaches were harsh. Then I realised how much they care.",
    "i never remember my passwords lol",
]
ROUND_SIX_FAMILIES = [
    ("why is my brother such a tool", "label", "my brother"),  # rhetorical, a label also said of things
    ("my roommates r the laziest ppl alive", "trait", "my roommates"),
    ("My eldest is bone idle and I've given up pretending otherwise.", "trait", "My eldest"),
    ("Why must Gloria always have the last word?", "overgeneralization", "Gloria"),
    ("Why does my dad never listen to me?", "overgeneralization", "my dad"),
    ("rahul is def trying to get me fired", "mind_reading", "rahul"),
    ("My 15-year-old slams doors just to wind me up.", "mind_reading", "My 15-year-old"),
    ("They only asked me along out of pity.", "mind_reading", "They"),
    ("My boss gave Tom my project to make me look bad.", "mind_reading", "My boss"),
    ("She would have called if she had any respect for me.", "mind_reading", "She"),
    ("My stepmum pretends to be nice when Dad is around.", "mind_reading", "My stepmum"),
    ("Everyone at my new school treats me like I'm a freak.", "overgeneralization", "Everyone"),
    ("Nothing I do is ever good enough for my father.", "overgeneralization", "my father"),
    ("My dad is strict. Nothing I do is good enough for him.", "overgeneralization", "him"),
    ("men only care about looks", "overgeneralization", "men"),
    ("Let's just say the new manager isn't exactly the sharpest knife in the drawer.", "trait", "the new manager"),
    ("lets just say my roommate isnt winning any awards for hygiene", "trait", "my roommate"),
    ("I'm not exactly a catch.", "trait", "I"),
    # round 7
    ("Marcus shuts down every single time I bring up money.", "overgeneralization", "Marcus"),
    ("My son never does what he's told.", "overgeneralization", "My son"),
    ("she left me on read on purpose to make me feel like crap", "mind_reading", "she"),  # "feel like" is no hedge here
    ("Everyone in my book club only cares about the wine.", "overgeneralization", "Everyone"),
    ("My grandad is racist and the whole family pretends not to notice.", "trait", "My grandad"),
    ("My daughter's teacher has decided she's a troublemaker.", "mind_reading", "My daughter's teacher"),
    ("My father turns every single conversation into a lecture.", "overgeneralization", "My father"),
    ("my sisters are a clique of bullies", "label", "my sisters"),  # "-ies" plural as an anchor
    ("my sister books our family holiday for august bc she knows i cant get time off then", "mind_reading", "my sister"),
]
ROUND_SIX_LOOK_ALIKES = [
    "Jamal didn't do it on purpose.",
    "my mil told everyone at the bbq that im a gold digger",  # her words about the writer, reported
    "my sister is a total brat and id fight anyone who said it except me",
    "Our puppy is a tiny tyrant. We are completely besotted.",
    "is it normal that my brother never texts back",
    "I once believed all teachers were lazy. Then I became one.",
    "I said my boss was useless, and I take it back.",
    "My mum drove me home just to make me feel better.",
    "She's not the quickest runner but she never gives up.",
    "my cat is such a jerk, he knocked my coffee off the table on purpose while looking me in the eye",
    "the dog always steals my socks, hes a little thief",
    "In my first month I thought my boss was a tyrant. I was new and scared.",
    "She smiles every single time I walk in, it's lovely.",
]

# session 7: a word that hedges when it is the writer's ("am I paranoid") is a trait when it is someone else's
SESSION_SEVEN_FAMILIES = [
    ("honestly my stepdad is so paranoid, he thinks the neighbours nick his parcels", "trait", "my stepdad"),
    ("the barista at the corner cafe is a total cow", "label", "the barista"),  # service workers are people too
    ("my flatmate is such an NPC, never says a word", "label", "my flatmate"),
    ("I never stick up for myself, not even with my little sister", "overgeneralization", "I"),
    ("my coach definately has it in for me", "mind_reading", "my coach"),
]
SESSION_SEVEN_LOOK_ALIKES = [
    "am i being paranoid or has my sister stopped replying to me",
    "Maybe I'm just paranoid, but I think my manager has gone quiet with me.",
    "Listening to a podcast drama where the uncle is a total snake. Gripping.",
]

# session 8 (round 9's train/dev families, our own sentences): a negation that belongs to another verb, "nt" inside
# "went", low-register quality words, self-overgeneralizations, pets told about in the sentence before
SESSION_EIGHT_FAMILIES = [
    ("I went home early and sat in the car because I'm a total liability.", "label", "I"),
    ("she isn't around much and she's so selfish when she is", "trait", "she"),
    ("honestly im a crap brother", "trait", "I"),
    ("I'm so dull, nobody remembers anything I say.", "trait", "I"),
    ("I'm a silly old man, I forgot the tickets again.", "label", "I"),
    ("I always take my stress out on the kids.", "overgeneralization", "I"),
    ("I never fit in anywhere, not at school and not at work.", "overgeneralization", "I"),
    ("my parents always favoured my sister", "mind_reading", "my parents"),  # favouritism: the mind.favours rule
]
SESSION_EIGHT_LOOK_ALIKES = [
    "I don't think she's selfish, she's exhausted.",
    "It's not that he's lazy, he's ill.",
    "I never fit in the old jeans anyway.",
    "My cat has decided she hates the new food. Shes such a diva.",
    "Last month I told everyone my brother was a liar. Looking back, that's not fair.",
    "this weather is crap and the meeting was so dull",
    "Re-reading my old diaries from uni. So much venting. 'Chloe is fake', page after page.",
    "My old opinion of my stepmum was that she was a gold digger. She nursed Dad for two years.",
    "i went in thinking the new manager was a tyrant. nah, hes fair, just strict",
]
SESSION_EIGHT_STILL_FLAGGED = [
    "I read my old diary today. My sister is still a liar.",  # a verdict made now, after the diary
]

# session 9 (round 10's train/dev families, chat messages; our own sentences)
SESSION_NINE_FAMILIES = [
    ("the girls at the gym all think theyre so much better than me", "mind_reading", "the girls"),
    ("hes only being friendly bc he wants a lift to the airport", "mind_reading", "he"),
    ("My sister wanted it to hurt when she told Mum first.", "mind_reading", "My sister"),
    ("my cousin obviously gossiped about me at the wedding", "mind_reading", "my cousin"),
    ("my mum thinks I'm a disappointment", "mind_reading", "my mum"),
    ("none of the managers here ever listen to anyone", "overgeneralization", "none of the managers"),
    ("I always let my team down when it matters.", "overgeneralization", "I"),
    ("My flatmate is a snoop.", "label", "My flatmate"),
    ("he's impatient and rude with everyone", "trait", "he"),
    ("Why does my manager have to be so arrogant?", "trait", "my manager"),
    ("why am i such a disappointment", "label", "I"),
    ("my bosses are all the same, greedy and lazy", "trait", "my bosses"),
    ("my daughter only visits out of guilt", "mind_reading", "my daughter"),
    ("I hate how useless I am.", "trait", "I"),
    ("i always end up being the problem", "overgeneralization", "I"),
    ("my sister does it so i feel like the odd one out", "mind_reading", "my sister"),
    ("He knew exactly what he was doing when he sent that email.", "mind_reading", "He"),
    ("my flatmate never fixes anything she breaks", "overgeneralization", "my flatmate"),
    ("my brother in law is so tight, he split the pizza bill by slices", "trait", "my brother in law"),
]
SESSION_NINE_LOOK_ALIKES = [
    "you absolute doughnut, forgot your keys again, on my way x",
    "my brother is the worst, ate my chips, but he's forgiven",
    "At the barbecue my uncle announced that I'm selfish for moving away. I know I'm not.",
    "my mates joke that im a control freak because i book everything, fair",
    "I just want my parcel, it's been a week.",
    "Began to write that I'm a useless mother. Stopped. I'm tired, not useless.",
    "my best mate is the biggest diva alive and i would take a bullet for her",
]


@pytest.mark.parametrize("text", SESSION_EIGHT_STILL_FLAGGED)
def test_a_verdict_made_now_stays_flagged(analyzer, text):
    assert analyzer(text).judgements, text


@pytest.mark.parametrize("text,kind,who", ROUND_FIVE_FAMILIES + ROUND_SIX_FAMILIES + SESSION_SEVEN_FAMILIES
                         + SESSION_EIGHT_FAMILIES + SESSION_NINE_FAMILIES)
def test_fresh_round_families(analyzer, text, kind, who):
    js = analyzer(text).judgements
    assert js, text
    assert (js[0].kind, js[0].who) == (kind, who), [(j.kind, j.who) for j in js]


@pytest.mark.parametrize("text", ROUND_FIVE_LOOK_ALIKES + ROUND_SIX_LOOK_ALIKES + SESSION_SEVEN_LOOK_ALIKES
                         + SESSION_EIGHT_LOOK_ALIKES + SESSION_NINE_LOOK_ALIKES)
def test_fresh_round_look_alikes(analyzer, text):
    assert not analyzer(text).judgements, [(j.kind, j.text) for j in analyzer(text).judgements]


def test_a_pronoun_prompt_names_the_person_it_stands_for(analyzer):
    prompts = analyzer("my flatmates are so messy, they never wash up").prompts
    other = [p for p in prompts if p.kind in ("alternative", "perspective")]
    assert other and other[0].about == "your flatmates"


def test_warmth_for_someone_else_does_not_soften_a_self_judgement(analyzer):
    js = analyzer("I'm such an idiot, I forgot my best friend's birthday again.").judgements
    assert js and js[0].target == "self"
    assert not analyzer("lol im such a dork, love that about me tbh").judgements
