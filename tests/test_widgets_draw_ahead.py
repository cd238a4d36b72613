"""Pictures drawn ahead (``Explorer.draws_ahead``, ``nnkit/widgets/picture.py``): while the
student looks, an explorer draws the pictures one press away and sends them to the browser,
which shows one at once when a press lands on it. Each must be exactly the picture (and the
message) the kernel shows after that press, and drawing them must change nothing on screen.
"""

from __future__ import annotations

import base64

import pytest

import nnkit.widgets as nw
from nnkit.widgets.picture import KEPT, Picture, state_key

DRAWING_AHEAD = [
    getattr(nw, name)
    for name in nw.__all__
    if isinstance(getattr(nw, name), type)
    and issubclass(getattr(nw, name), nw.Explorer)
    and getattr(nw, name).draws_ahead
]


def offers_sent(explorer) -> list[dict]:
    """Draw everything ahead, as the kernel does while the student looks; the offers sent."""
    sent: list[dict] = []
    send = explorer.image.send
    explorer.image.send = lambda content: (sent.append(content), send(content))
    for _ in explorer._pieces_ahead():
        pass
    explorer.image.send = send
    return [content["offer"] for content in sent if "offer" in content]


def press(explorer, state: list) -> None:
    """Set the one control whose state differs, as the browser does for a key press."""
    for control, wanted in zip(explorer.image.controls, state, strict=True):
        now = control.index if hasattr(control, "index") else control.value
        if state_key([now]) != state_key([wanted]):
            if hasattr(control, "index"):
                control.index = wanted
            else:
                control.value = wanted
            return
    raise AssertionError(f"an offer for the settings shown: {state}")


def png(offer: dict) -> bytes:
    return base64.b64decode(offer["src"].removeprefix("data:image/png;base64,"))


def test_the_explorers_that_draw_ahead():
    names = {cls.__name__ for cls in DRAWING_AHEAD}
    assert {"NeuronExplorer", "ForwardPassExplorer", "TrainingDashboard"} <= names
    # its picture depends on training it keeps between presses, not on the controls alone
    assert "Playground" not in names


@pytest.mark.slow
@pytest.mark.parametrize("cls", DRAWING_AHEAD, ids=lambda cls: cls.__name__)
def test_every_picture_drawn_ahead_is_the_one_the_press_shows(cls):
    explorer = cls()
    shown = (explorer.picture, explorer.message.value, explorer.image.state())
    offers = offers_sent(explorer)
    assert offers, "nothing drawn ahead"
    # drawing ahead changed nothing on screen
    assert (explorer.picture, explorer.message.value, explorer.image.state()) == shown
    redraws = explorer.redraws
    for offer in offers:
        press(explorer, offer["state"])
        assert explorer.picture == png(offer), f"picture for {offer['state']}"
        assert explorer.message.value == offer["message"], f"message for {offer['state']}"
        assert explorer.image.value == offer["src"]
        press(explorer, shown[2])  # and back
        assert explorer.picture == shown[0]
    assert explorer.redraws >= redraws + 2 * len(offers)


@pytest.mark.parametrize("cls", [nw.NeuronExplorer, nw.ForwardPassExplorer])
def test_after_presses_the_offers_follow_the_settings_shown(cls):
    explorer = cls()
    first = offers_sent(explorer)
    press(explorer, first[0]["state"])  # a press on a picture drawn ahead
    again = offers_sent(explorer)
    # only settings the browser does not have yet; the same direction first
    assert again and not {state_key(o["state"]) for o in again} & {
        state_key(o["state"]) for o in first
    }
    for offer in again[:3]:
        press(explorer, offer["state"])
        assert explorer.picture == png(offer)
        press(explorer, first[0]["state"])


def test_a_penguin_press_is_drawn_with_that_penguins_measurements():
    explorer = nw.ForwardPassExplorer()
    offers = offers_sent(explorer)
    names = list(explorer.controls)
    start = explorer.value("penguin")
    [next_penguin] = [o for o in offers if o["state"][names.index("penguin")] == start + 1]
    # the browser's key: the new penguin with the measurements still on the sliders
    assert next_penguin["state"][1:] == [explorer.value(n) for n in names[1:]]
    explorer.controls["penguin"].value = start + 1
    assert explorer.picture == png(next_penguin)


def test_the_browser_keeps_the_latest_offers():
    picture = Picture()
    for k in range(KEPT + 5):
        picture.offer([k], f"data:image/png;base64,{k}", "")
    assert len(picture.offered) == KEPT
    assert state_key([0]) not in picture.offered and state_key([KEPT + 4]) in picture.offered
    picture.forget()
    assert not picture.offered and picture.offers_made


def test_a_disabled_slider_is_not_drawn_ahead():
    explorer = nw.GradientDescentExplorer()
    explorer.controls["mode"].value = "one weight"  # the bias slider is then disabled
    names = {name for offer in [explorer.presses_ahead()] for press in offer for name in press}
    assert "start_bias" not in names and "learning_rate" in names
