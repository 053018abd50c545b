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
