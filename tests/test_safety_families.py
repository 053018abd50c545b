"""Safety families written for these tests (not taken from data/): risk and abuse disclosures, and look-alikes."""

from __future__ import annotations

import pytest

from mbtnlp.safety import SafetyGate

GATE = SafetyGate()

RISK = ["I'm so tired of existing.", 'i just want it all to stop', "I can't see any future for myself.", "there's no way out for me", 'everyone would be fine without me', "I won't be around much longer", 'im done with everything, for good', 'I just want to sleep and never wake up', "I've been stockpiling my meds.", "I know exactly how I'd do it.", 'wrote notes to everyone I love last night', "I've been giving my things away.", 'said my goodbyes to my friends today, they dont know', 'looked up how many pills it would take', "I don't see the point in living anymore", 'i wish i was never born', 'I want to go to sleep forever', 'life isnt worth living', 'I keep thinking about ending it', 'I hurt myself again last night', 'i relapsed and cut', 'been picking at my skin until it bleeds, on purpose', 'I punched the wall until my knuckles bled because I deserved it', "I'd be better off dead"]

ABUSE = ["He made me do things I didn't want to do.", 'he pressured me into sex again', 'He forced himself on me.', 'he touched me when i told him not to', "I didn't want to but he kept pushing until I gave in", 'he guilt-tripped me into sleeping with him', 'my bf checks my location every hour', "she won't let me have my own bank account", 'he reads all my texts and gets angry if i delete any', 'my husband decides who I can see', 'he threatened to take the kids if I leave', "she said she'd post my nudes if i broke up with her", 'he choked me during an argument', "my dad beats me when he's drunk", 'she threw a plate at my head', 'he locked me in the bedroom all night', 'he follows me to work and waits outside', 'he spat in my face and called me worthless']

NOT_FLAGGED = ['this exam is going to kill me', "I'd literally die for a burrito", 'my feet are killing me', 'he killed it at karaoke', 'I nearly died laughing', "cut the cake, it's time!", 'she shot me a look', 'my mum will kill me if i fail', "i'm dead tired", 'we fought over the remote lol', 'he pushed me to apply for the job and i got it', 'my coach pushed me hard today, legs are jelly', 'she grabbed my arm to stop me falling', 'my therapist asked if I ever think about suicide, I said no and meant it', 'As a nurse I assess self-harm risk every shift.']


@pytest.mark.parametrize("text", RISK)
def test_risk_families(text):
    result = GATE.screen(text)
    assert result["risk"], text
    assert all(text[e["start"]:e["end"]] == e["text"] for e in result["evidence"])


@pytest.mark.parametrize("text", ABUSE)
def test_abuse_families(text):
    assert GATE.screen(text)["abuse"], text


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_look_alikes_are_not_flagged(text):
    result = GATE.screen(text)
    assert not result["risk"] and not result["abuse"], text


@pytest.mark.parametrize("text", ["My best friend told me she's been thinking about suicide.",
                                  "my little brother has been cutting himself and i dont know how to help"])
def test_someone_elses_risk_is_third_party(text):
    result = GATE.screen(text)
    assert result["third_party"] and not result["risk"]


@pytest.mark.parametrize("text", ["My cousin messaged me 'i just want to die' last night and now I can't reach her.",
                                  "A girl in my tutor group wrote a story about wanting to sleep forever.",
                                  "Apparently Marcus has been cutting again, his sister told me at lunch.",
                                  "On the helpline tonight a man read me his goodbye letters before we made a plan."])
def test_someone_elses_words_pieces_and_notes_are_not_the_writers_risk(text):
    assert not GATE.screen(text)["risk"], text


@pytest.mark.parametrize("text", ["my stepdad knelt on my back until i couldnt breathe",
                                  "Woke up on the sofa to him pulling my leggings off. I'd said no earlier.",
                                  "I'm only allowed to wear the outfits he has picked.",
                                  "I blocked him on everything and he still turns up outside my work."])
def test_abuse_families_added_from_round_six(text):
    assert GATE.screen(text)["abuse"], text


@pytest.mark.parametrize("text", ["That hill sprint session was suicide, my calves are gone.",
                                  "We laughed so hard at the quiz I thought I'd stop breathing.",
                                  "My nan will end me when she sees what I did to her teapot.",
                                  "Can't be there for the barbecue because I'm away at my cousin's wedding."])
def test_round_six_look_alikes_are_not_flagged(text):
    result = GATE.screen(text)
    assert not result["risk"] and not result["abuse"], text


def test_caution_is_its_own_tier():
    """A model score below its flag threshold but above ``caution_threshold`` sets caution, never a flag."""
    eager = SafetyGate(caution_threshold=0.0)
    result = eager.screen("We argued about the dishes and she was so annoying about it.")
    assert result["caution"] and not result["risk"] and not result["abuse"]
    assert eager.screen("")["caution"] is False
    flagged = eager.screen("He hit me again last night.")
    assert flagged["abuse"] and not flagged["caution"]


def test_factory_defaults_match_the_gate():
    import inspect

    from mbtnlp import safety
    from spacy.language import Language

    config = Language.get_factory_meta("mbtnlp_safety").default_config
    params = inspect.signature(safety.SafetyGate.__init__).parameters
    for key in ("risk_threshold", "abuse_threshold", "caution_threshold", "third_party_threshold"):
        assert config[key] == params[key].default, key


@pytest.mark.parametrize("text", ["My sister's awful boyfriend threatened her with a bottle last night.",
                                  "Her ex has been following her home from the station every evening.",
                                  "Our neighbour's husband screams at her most nights and the kids hear it."])
def test_abuse_of_someone_else_is_third_party(text):
    result = GATE.screen(text)
    assert result["third_party"] and not result["abuse"], text


@pytest.mark.parametrize("text", ["Didn't buy a calendar for next year. Didn't seem worth it.",
                                  "Left my passwords in an envelope for my sister, just in case.",
                                  "Nobody at work needs to see what I did to my arms at the weekend.",
                                  "mum threw her shoe at my head again, told the teacher it was netball"])
def test_round_seven_families(text):
    result = GATE.screen(text)
    assert result["risk"] or result["abuse"], text


# rounds 8-10 (session 4): families the rules were extended for, in sentences written for this test
ROUNDS_8_10_RISK = ["relapsed on saturday after 3 months, nobody knows", "opened the old cuts on my thigh up again",
                    "pressed my palm against the radiator on purpose", "i should've been the one in the coffin, not him",
                    "I ask God every night to take me in my sleep", "honestly im just a drain on everyone",
                    "left my sister every password for every account, in an envelope",
                    "if you're reading this after friday, none of it is your fault",
                    "only reason i'm still here is my nan", "i slap my own face when i mess up",
                    "the bandages aren't from the garden, that's just what I tell people",
                    "next time I won't tell anyone first", "sometimes i hope the bus doesn't brake",
                    "Biopsy came back benign and honestly I was gutted."]
ROUNDS_8_10_ABUSE = ["it was only one shove, he was stressed", "my wife is hitting me when she drinks",
                     "He is not allowing me to see my sister.", "He takes the router to work so I cant message my family",
                     "he threw his phone at my face", "she knocked me off the sofa", "he took his belt off again last night, cant sit",
                     "The bruises are the exact size of his fingers.", "she reminds me one call to immigration and I'm gone",
                     "he sharpens his knife whenever we argue", "Told my GP I slipped in the shower. I didn't slip.",
                     "since we got married i never see my friends anymore", "she said i owed her for the holiday",
                     "if you tell anyone I'll come for you, he said"]
ROUNDS_8_10_NOT_FLAGGED = ["I'd rather walk barefoot over lego than sit through another budget meeting",
                           "can't keep doing this commute, looking at flats nearer work",
                           "my essay on how the media reports suicide got a first",
                           "panic attacks are down to once a week", "back in an hour, not coming back for a while lol",
                           "the cast is only for a few weeks, it's not forever", "it was only a slap on the wrist from the ref",
                           "my flatmate says her cat scratched her again, the little menace"]


@pytest.mark.parametrize("text", ROUNDS_8_10_RISK)
def test_rounds_eight_to_ten_risk(text):
    assert GATE.screen(text)["risk"], text


@pytest.mark.parametrize("text", ROUNDS_8_10_ABUSE)
def test_rounds_eight_to_ten_abuse(text):
    assert GATE.screen(text)["abuse"], text


@pytest.mark.parametrize("text", ROUNDS_8_10_NOT_FLAGGED)
def test_rounds_eight_to_ten_look_alikes(text):
    out = GATE.screen(text)
    assert not (out["risk"] or out["abuse"]), (text, out["evidence"])


@pytest.mark.parametrize("text", ["my aunt's husband keeps her bank card and her pension", "Her boyfriend doesn't let her see her sister.",
                                  "Jamie's stepdad locks him out when he's been drinking", "I think the carer is taking money from Grandad's wallet"])
def test_control_of_someone_else_is_third_party(text):
    out = GATE.screen(text)
    assert out["third_party"] and not (out["risk"] or out["abuse"]), (text, out["evidence"])


@pytest.mark.parametrize("text", ["wearing socks and sandals would be social suicide", "lost my 200 day wordle streak, devastated",
                                  "I'd rather die than do karaoke at the work do", "my brother's going to murder me, I spilled coffee on his laptop",
                                  "tripped on stage in front of the whole school, end me", "he beat me at chess again, 3-0"])
def test_round_twelve_look_alikes(text):
    out = GATE.screen(text)
    assert not (out["risk"] or out["abuse"]), (text, out["evidence"])


def test_a_joke_marker_taken_back_in_the_next_sentence():
    out = GATE.screen("lol wouldnt mind if the plane went down. not joking either")
    assert out["risk"], out["evidence"]


def test_a_cluster_rule_needs_enough_signs():
    """One sign of putting affairs in order is not a disclosure; three are."""
    assert not GATE.screen("Cleaned the whole flat today, it was a tip.")["risk"]
    three = "Cleaned the whole flat. Gave my guitar away to my neighbour. Wrote letters to Mum and Jess, not to send yet."
    out = GATE.screen(three)
    assert out["risk"] and any(e["cue"].startswith("risk.c15") for e in out["evidence"])


@pytest.mark.parametrize("text", [
    "the lad who sits next to me in maths told me his dad locks him in the shed when hes been drinking",
    "A woman at my church confided that her son takes her whole pension every month.",
    "my colleague keeps turning up with bruises on her arms and says she bumped into things",
])
def test_someone_else_harmed_in_words_no_rule_knows_is_third_party(text):
    """The third-party backstop model (asked only where nothing else was flagged) routes these to support."""
    out = GATE.screen(text)
    assert out["third_party"] and not (out["risk"] or out["abuse"]), (text, out["evidence"])


def test_the_third_party_backstop_can_be_switched_off():
    text = "A woman at my church confided that her son takes her whole pension every month."
    assert SafetyGate(third_party_model=None).screen(text)["third_party"] is False
    assert SafetyGate(third_party_threshold=1.01).screen(text)["third_party"] is False


def test_a_holiday_word_does_not_hide_the_backstop():
    """The moving-house context for the risk model is narrow: "not like a holiday" says nothing of moving."""
    out = GATE.screen("Moving out Saturday! Cleaned the whole flat top to bottom, gave my old books to the charity shop.")
    assert not out["risk"], out["evidence"]


def test_a_complaint_about_motives_is_not_abuse():
    """The backstop model took "he only X when he wants something" for abuse; it is a judgement (mind reading)."""
    out = GATE.screen("My cousin only rings me when she needs a lift somewhere.")
    assert not out["abuse"], out["evidence"]


# Session 5 (rounds 14-16): families from each fresh round's train/dev misses, in sentences written for the tests.
SESSION5_RISK = [
    'kept banging my head on the bedroom door until everything went quiet in my head',
    "Found a new home for our old cat. Told my sister it's my allergies. It's not my allergies.",
    'recorded a voice note for my brother. for when im not around',
    "They'd honestly find life easier without me, it would be a kindness by just disappearing",
    'so tired. not of the job. finished with being alive, kind of',
    'relapsed again lol. not the funny lol. the razor kind',
    "Tidied my whole room, left my passwords in an envelope for my sister, and wrote my dad a letter I won't be posting.",
    "Typed up how to pay the bills and which vet the dog goes to, left it on Sam's desk. He thinks I'm staying at Jo's tomorrow. I'm not.",
    'always long sleeves at work now so my manager doesnt notice my arms',
    'been having a bit of a suicidal spell again lol, anyway how was ur weekend',
    'googling methods again at 3am, then deleting the history',
    'sitting on the bridge for two hours watching the water, been here since lunch',
    'burnt myself with the lighter again this week, less than before tho',
    'it shld have been me at that crash not him. would be easier for everyone',
    'sometimes i think everyone would cope better if i just vanished. for good i mean',
    "i'm so tired of living like this",
]
SESSION5_ABUSE = [
    "If I ever leave him he says he'll take the boys, and he'd tell the judge about my breakdown.",
    'polo neck in july again so nobody sees the bruises round my throat',
    "The hammer has stayed on the hall shelf ever since I said I might go to my mum's for a bit.",
    'Asked my husband where the rent money went and he shoved me back against the cooker so hard the pans fell off.',
    'she pushed me into the bookcase after I asked about my savings book',
    "I told him I didn't want to and he went ahead anyway. We've been married eleven years.",
    'My supervisor said the contract was mine if I let him stay over after the conference.',
    "My son tells everyone who rings that I'm too confused to come to the phone. I'm not confused.",
    'He checks every receipt and each pound over has to be explained. My wages go into his account.',
    'She pinned my arms against the car door and twisted until I gave her my keys.',
    'The night carer is rough. She yanks my arm to get me out of bed and I have bruises.',
    'she does things to me while im asleep and says its fine because were married',
    'he battered me again last night, 2 black eyes',
    'my dad kicked me in the ribs when I got home from football',
]  # the last two: look-alike exclusions (football, a score) leave real kicks alone
SESSION5_LOOK_ALIKES = [
    'Ran my first 10k and honestly thought I was going to die on the hill, but I finished!',
    "I'd rather die than have a gender reveal party, sorry not sorry",
    'that quiz made me want to die lol, in the normal way',
    'missed the last train by a minute. end me',
    'The kids will kill us if we forget the marshmallows again',
    'starting my social work placement at the domestic abuse refuge on monday, nervous but excited',
    'Moving out Saturday! Cleaned the whole flat top to bottom, gave my old books to the charity shop, wrote a card for the landlord.',
    "Wrote thank-you cards for everyone who came to the wedding, didn't post them yet, they're by the door.",
    'burned myself on the oven tray making dinner, ouch',
    'Long shift at the refuge, two new families and a lot of forms.',
    'Got home and fell asleep on the sofa in my coat.',
    'lost the quiz final 12-2, the other team absolutely hammered us',
    "the neighbour's spaniel jumped on me and knocked my coffee everywhere",
    'Sunday league today. Some lad kicked me in the shin in the first ten minutes, still limping',
    "my sister said she'd wring my neck if i borrowed her straighteners again",
    'I died a thousand deaths when the quiz master read my answer out',
    'so sick of this rain, three weeks straight',
]
SESSION5_SOMEONE_ELSE = [
    "my flatmates ex keeps waiting outside her work even though she's blocked him everywhere",
    "My niece's boyfriend reads all her messages and picks which friends she can see.",
    'my brother has burns up his arm and says it was the oven. we have an induction hob',
    "my aunt said on the phone 'i dont want to be here anymore'. im worried",
    "My friend showed me her dad's texts: he'll smash the car if she goes to the refuge.",
    'my cousin messaged me last night im not going to be here much longer',
]  # the last one: their words without quotation marks


# Session 6 (rounds 17-20): oblique self-harm, paperwork for after, control of aids, passwords and photos.
SESSION6_RISK = [
    "I punch my thighs whenever I feel like I've let everyone down. Nobody knows.",
    "i scratch my arms until they bleed after every argument with dad",
    "i slap my face when i get angry at myself, so mum doesnt see",
    "long sleeves at the wedding because of what i did to my arms last week",
    "the scratches aren't from the cat, I just say that lol",
    "My search history is basically painless methods at this point.",
    "When I read about the singer who took his own life I felt envious of him, not sad.",
    "Sorted my pension details and passwords into one folder, put it where Tom will look first. Names on the "
    "envelopes. I feel strangely calm tonight.",
    "How peaceful it must be, to be dead.",
    "I keep walking round the house as if I'm already gone.",
    "What's the point of fixing the fence when I won't be the one living here much longer.",
    "Gave my sister my guitar and most of my books. Said I was decluttering. That's not why. It's easier for "
    "everyone this way.",
]
SESSION6_ABUSE = [
    "She hides my glasses and my walking stick until I apologise.",
    "The carers take my buzzer away when I press it too often.",
    "He has the passwords to all my accounts and says couples shouldn't have secrets.",
    "Woke up to him touching me again. I pretended to be asleep.",
    '"Tell anyone and see what happens," he said, and smiled.',
    "He said my mum might have an accident if I leave him.",
    "I had to send him selfies so he could check who I was with.",
    "My son changed the locks and keeps the only key, and tells people I'm not well enough for visitors.",
    "I told them I fell down the stairs. He pushed me.",
    "My stepdad keeps my wages and I get £30 a week back.",
    # round 19: abuse told by a writer unsure it counts
    "My landlord has a key to my room and goes in while I'm at work, my drawers moved around every time.",
    'He said "I\'ll end you if you ever embarrass me like that again," and he means it.',
    "He went through all my messages last night and wanted to know who Sam was.",
    "have to ask him for the card to buy food, then he checks the receipt",
    "she locked me out in the rain for two hours as a punishment",
    "He paid for dinner so when he pushed for sex I felt like I couldn't say no.",
    "The carers move the call button out of reach at night.",
    # round 20
    "he said id owe him if he paid for the trip. then at the hotel he made it really clear what i owed",
    "My employer says if I complain he will have me sent back to my country.",
    "My supervisor keeps hinting my contract renewal depends on me coming up to his hotel room.",
    "He'll kill me if I tell anyone about the bruises.",
]
SESSION6_LOOK_ALIKES = [
    "I've been banging my head against a brick wall trying to get the council to reply.",
    "Burnt my hand on the oven tray when I was getting the roast out.",
    "I hit my head on the cupboard door when I stood up. Ouch.",
    "The scratches are from the cat, she hates the carrier.",
    "my search history is just recipes and flights lol",
    "How nice it must be to be done with exams!",
    "Try the new recipe and see what happens!",
    "I walked the feet off myself round Dublin today.",
    "Overdosed on espresso before the exam, shaking.",
    "I wanted to sink through the floor when I tripped on stage.",
    "Gonna end it tonight. the show I mean, 2 episodes left",
    "We are ending it with the gym, the fees went up again.",
    "If Dad finds out I spilt paint on the carpet he'll kill me.",
    "my sister and I do bjj, she choked me out twice tonight lol",
    "I'm a domestic abuse advocate; long day of calls about refuge spaces.",
    "My mum asked me to send her the receipt for the shoes so she could return them.",
    "i'll end you if you eat my chips again lol",
    "cat scratched me to bits when i tried to give her the worming tablet. zero remorse",
    "i give up. this sourdough starter actively hates me",
    "I can't go on like this with this commute.",
    "My sister will murder me if I tell anyone she's pregnant before the scan.",
]
SESSION6_SOMEONE_ELSE = [
    'my son (16) said "i wish i was dead" at dinner n walked out. what do i do',
    "Found my fourteen-year-old's search history: searches about ways to die, going back weeks.",
    "Found my son's search history when I was fixing the laptop. 'painless ways to die'. He's fourteen.",
    "my roommate is cutting again. saw blood on the towels. she doesnt know i know",
    "My sister's boyfriend hits her. She told me in the car and then made me promise not to tell Mum.",
]

# session 7 (rounds 21/22 train/dev families; our own sentences)
SESSION7_RISK = [
    "long day at the depot. honestly i'd be relieved if i didnt wake up tomorrow, not even kidding",
    "skipped eating all weekend cos i hate myself, dont tell me to have a sandwich",
    "Cleared my desk drawers and wrote up all my passwords for whoever takes over, since I don't intend to be around "
    "by Easter.",
    "Sat in the hospital car park after my shift and thought I'd rather be dead than walk back in there on Monday.",
    "I've got the plan and the date sorted. Strange how quiet my head is now.",
    "Third attempt was two years ago. My husband still doesn't know about it.",  # an ordinal is not a name
    "Two years clean from drink and the suicidal thoughts are still here every night.",  # nor is a number word
    # round 24 (preparation told obliquely)
    "ive been putting aside my tablets every week instead of taking them. hidden in a sock drawer. almost enough",
    "Took the cat to the rescue centre. The woman asked if I was emigrating. I said sort of.",
    "Sealed a letter for each of the girls and put it in their memory boxes. Pete thinks I'm decluttering. I let him think it.",
    "gave my little brother my xbox and all the games. dont think ill be here to play them anyway",
]
SESSION7_ABUSE = [
    "it's not a big deal, she only shoves when she's had a few",
    "the supervisor at the warehouse kicked me because the pallet was late",
    "Dad still has all of my wages from the chip shop and gives me a tenner when I ask nicely.",
    "When my stepbrother stays over I sleep fully dressed with a chair under the door handle.",
    "He's never hit me, not really. He just shoves me into the wardrobe when I answer back.",
    "my ex says he'll post the videos if i dont come back, my whole course would see",
    "the older boy from rugby keeps asking for pics and says if i dont send one hell say i did anyway",
    # the backstop's sentence is the writer's, even when the sentence that scores highest is not
    "I sleep at my sister's most weekends now. The bedroom door has a crack down the middle from where he kicked it.",
    "I rang the police and said 'he hits me and I am scared'.",  # the writer's own words stay the writer's
    "my sister said 'hiya' at the door and then he shoved me into the coat rack",  # the quotation ended before it
    "he said 'i'll kill you if you ever leave me' and then he went to bed like nothing happened",
    "Whenever I mention divorce she says she'll end her life and the kids will know it was me.",
    "i have to text him photos of my bank statements every friday or he goes silent for days",
    "I'm not allowed to visit my mum unless he comes too, and he never wants to come.",
    "he threw his phone at the headboard right next to my face because i laughed at the wrong thing",
    "My stepmother shut me out on the balcony in January to teach me a lesson about manners.",
    "when i argued back she pushed me hard enough that i fell against the radiator",
    "My brother forced my face into the sink and held it there till I stopped struggling.",
    "Told work I fell off my bike. It was Danny's fist, after the pub.",
    "He came into my room after the party and shut the door. I said no. He didn't stop.",
]
SESSION7_LOOK_ALIKES = [
    "My brother nearly killed me when I told him I'd booked us on a 6am flight.",
    "if the train is cancelled again i will simply perish",
    "cut my own fringe again at midnight, trimmed it myself like a fool. send help",
    "my nan will murder me if i forget her birthday again lol",
    "My swimming coach pushed me hard all season and I finally made the county squad.",
    "Dropped three bags of Gran's jumpers at the refuge charity shop on the high street.",
    "Filled in the red book after the health visitor came. Baby is on the 50th centile and I cried with relief.",
    "At the safeguarding course the speaker said teenagers rarely say 'my dad hits me'. They say they're tired.",
]
SESSION7_SOMEONE_ELSE = [
    "my cousin showed me her wrist and said 'he only grabbed me, it's fine'. i don't think it is",
]


# Session 8: families from rounds 25-26's train/dev misses, in our own words.
SESSION8_RISK = [
    "driving home i kept hoping a lorry would hit me so it would look like an accident",
    "Sometimes I wish a taxi would just take me out on the crossing.",
    "I've no plans to be here to see another Christmas.",
    "giving my records away one at a time so nobody notices",
    # a cover story the writer hints is not the real reason (cluster risk.s8_real_reason_hidden)
    "I told my boss I need next week off for a family thing. It's for the other thing. I've got it all planned.",
    "Gave my brother my bike, told him I'm getting a new one. Both true, but not the reason.",
    "Gave Sam the spare keys and told him it's just in case. He asked in case of what. I didn't answer.",
]
SESSION8_ABUSE = [
    "I give him what he wants whether I want to or not, it's easier",
    "she goes for where it won't show",
    "My supervisor says if I report the missing wages at the conference he'll tell my wife about the hotel.",
]
SESSION8_LOOK_ALIKES = [
    "so hungover i want to stop existing",
    "As an IDVA I hear \"he only checks my phone\" every week.",
    "My son manages my money now, I asked him to after my stroke, and he shows me the statements.",
    "Said goodbye to the team at my leaving do and gave my plants away, starting the new job Monday!",
    "Flight home tmrw so I won't be around for the quiz. Gave my tent to the lads at the hostel.",
    "Told the landlord it was a leak. It was a leak. Fixed now.",
    "Gave my niece my old bike, told her it was an early birthday present. She screamed.",
]

# Session 9: families from rounds 28-29's train/dev misses (short messages; long entries with a buried disclosure),
# in our own words.
SESSION9_RISK = [
    "I'm a paramedic and I'm the one having suicidal thoughts these days.",
    "most nights i pray not to wake up, and i'm not sure i'm joking anymore",
    "skipped dinner on purpose because I hadn't earned it after that meeting",
    "been reading about methods a lot at 2am. i know.",
    "Honestly the girls would be fine if I wasn't around. Better off even.",
    "I've been keeping a few of my tablets back each week. I like knowing they're there.",
    "My counsellor asked about suicidal thoughts and I admitted I've been having them most nights.",
    "After he hit me I thought I'd rather be dead than live with him another year. I meant it.",
    "held a lighter to my arm again last night. back to day 1",
    "I used to cut myself with my craft knife at uni and I did it again today.",
]
SESSION9_ABUSE = [
    "Told the school nurse I fell down the stairs. We don't even have stairs.",
    "The night carer pinched the inside of my arm when I was slow getting up.",
    "he asked for sex again and i said i didnt want to. he sulked for an hour so i gave in",
    "My brother is going to kill me, he's said it every day since I told the police, and he's got Dad's gun.",
    "My driving instructor is fifty. On Tuesday he rested his hand on my thigh at every red light.",
    "I told him no twice at the party and he kept going anyway.",
    "Since her diagnosis my wife shakes me when I forget things, and the consultant says it's the illness. I have bruises on both arms.",
    "blocked her on everything and she was outside my work again today",
]
SESSION9_LOOK_ALIKES = [
    "My husband said I'm a useless waste of space at Scrabble, then lost to the dog.",
    "the lads asked me to do the bungee with them and i said i'd rather jump off a bridge without the rope lol",
    "Coach says I'm not allowed to spar without a gumshield.",
    "the new manager keeps calling me buddy, weird but fine",
    "My sister kept me going through the divorce. Couldn't have done it without her.",
    "third attempt at the sourdough went in the bin",
    "legs are covered in mud and bruises after the rugby, worth it",
    "rolled with Dev at open mat and he smashed me under side control for ten minutes, great session",
    "My friend told me her partner hits her. I don't know what I'm allowed to say to the police without her say-so.",
    "sparred with my coach tonight and he properly battered me, I'm sore but buzzing",
    "My brother is going to kill me. I finished his cereal.",
    "My tutor secretly enjoys watching me fail, I swear.",
    "Our head of year is a bully. He kept Sam behind for an hour over a missing button.",
    "Practice placement today: I asked every patient about self-harm, as the protocol says.",
    "Spilled red wine on Mum's new rug. Planning my funeral playlist now lol",
    "The guy next door sat in his van outside for ages with the engine running, playing music.",
    "In the training we practised saying the word suicide out loud to each other.",
    "Type 1 for twenty years, so I've stabbed myself with a needle more times than I can count.",
]


@pytest.mark.parametrize("text", SESSION5_RISK + SESSION6_RISK + SESSION7_RISK + SESSION8_RISK
                         + SESSION9_RISK)
def test_recent_risk_families(text):
    out = GATE.screen(text)
    assert out["risk"], (text, out["evidence"])


@pytest.mark.parametrize("text", SESSION5_ABUSE + SESSION6_ABUSE + SESSION7_ABUSE + SESSION8_ABUSE
                         + SESSION9_ABUSE)
def test_recent_abuse_families(text):
    out = GATE.screen(text)
    assert out["abuse"], (text, out["evidence"])


@pytest.mark.parametrize("text", SESSION5_LOOK_ALIKES + SESSION6_LOOK_ALIKES + SESSION7_LOOK_ALIKES
                         + SESSION8_LOOK_ALIKES + SESSION9_LOOK_ALIKES)
def test_recent_look_alikes(text):
    out = GATE.screen(text)
    assert not (out["risk"] or out["abuse"]), (text, out["evidence"])


@pytest.mark.parametrize("text", SESSION5_SOMEONE_ELSE + SESSION6_SOMEONE_ELSE + SESSION7_SOMEONE_ELSE)
def test_recent_someone_else(text):
    out = GATE.screen(text)
    assert out["third_party"] and not (out["risk"] or out["abuse"]), (text, out["evidence"])


# Session 8: a joke-marked death wish ("... i want to die lol") over an ordinary cause is an idiom (guideline), but
# only when the entry names such a cause AND the risk model, reading the whole entry, agrees. Our own sentences.
JOKE_OVER_ORDINARY_CAUSE = [
    "spilled coffee all over my white jeans before the interview, i want to die lol",
    "three hours of group project and jake did nothing. want to die lol",
    "called my teacher mum in front of the whole class. i want to die haha",
]
JOKE_MARKER_STILL_RISK = [
    "want to die lol. its been like this for months and i dont see it changing",  # no ordinary cause named
    "i want to die lol",
    "he dumped me over text. i want to die lol",  # a break-up is not on the list of ordinary causes
    "failed my driving test again, i want to die lol. nobody would even notice if i did",  # the model reads on
]


@pytest.mark.parametrize("text", JOKE_OVER_ORDINARY_CAUSE)
def test_a_joke_death_wish_over_an_ordinary_cause_is_not_risk(text):
    assert not GATE.screen(text)["risk"], text


@pytest.mark.parametrize("text", JOKE_MARKER_STILL_RISK)
def test_a_joke_marker_alone_does_not_cancel_a_death_wish(text):
    assert GATE.screen(text)["risk"], text


def test_without_a_model_a_confirm_rule_stands():
    gate = SafetyGate(risk_model=None)
    assert gate.screen(JOKE_OVER_ORDINARY_CAUSE[0])["risk"]
