"""Pictures drawn ahead (``Explorer.draws_ahead``, ``nnkit/widgets/picture.py``): while the
student looks, an explorer draws the pictures one press away and sends them to the browser,
which shows one at once when a press lands on it. Each must be exactly the picture (and the
message) the kernel shows after that press, and drawing them must change nothing on screen.
"""

from __future__ import annotations

import asyncio
import base64

import numpy as np
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
    # every explorer of the lessons: the playground too, for the presses that start over
    assert names == {name for name in nw.__all__ if name not in ("Explorer", "LiveLoss")}


@pytest.mark.slow
@pytest.mark.parametrize("cls", DRAWING_AHEAD, ids=lambda cls: cls.__name__)
def test_every_picture_drawn_ahead_is_the_one_the_press_shows(cls):
    explorer = cls()

    def on_screen():
        texts = [widget.value for widget in explorer.text_widgets()]
        return explorer.picture, texts, explorer.image.state()

    shown, context = on_screen(), explorer.ahead_context()
    offers = offers_sent(explorer)
    assert offers, "nothing drawn ahead"
    assert on_screen() == shown  # drawing ahead changed nothing on screen
    redraws, checked, queue = explorer.redraws, 0, list(offers)
    while queue and checked < 60:
        offer = queue.pop(0)
        press(explorer, offer["state"])
        assert explorer.picture == png(offer), f"picture for {offer['state']}"
        texts = [widget.value for widget in explorer.text_widgets()]
        assert texts == offer["texts"], f"texts for {offer['state']}"
        assert explorer.image.value == offer["src"]
        press(explorer, shown[2])  # and back
        checked += 1
        if explorer.ahead_context() == context:
            assert explorer.picture == shown[0]
        else:  # back, but from another starting point (the playground's map): drawn again
            context, shown, queue = explorer.ahead_context(), on_screen(), offers_sent(explorer)
            assert queue, "nothing drawn ahead from the new starting point"
    assert explorer.redraws >= redraws + 2 * checked


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
        picture.offer([k], f"data:image/png;base64,{k}", [""])
    assert len(picture.offered) == KEPT
    assert state_key([0]) not in picture.offered and state_key([KEPT + 4]) in picture.offered
    picture.forget()
    assert not picture.offered and picture.offers_made


def test_a_disabled_slider_is_not_drawn_ahead():
    explorer = nw.GradientDescentExplorer()
    explorer.controls["mode"].value = "one weight"  # the bias slider is then disabled
    names = {name for offer in [explorer.presses_ahead()] for press in offer for name in press}
    assert "start_bias" not in names and "learning_rate" in names


def test_the_playground_draws_ahead_without_losing_its_training():
    playground = nw.Playground()
    playground.step(20)
    trained = (playground.picture, playground.epoch, playground.history.loss[:], playground.model)
    weights = [value.copy() for _, _, value, _ in playground.model.parameters()]
    offers = offers_sent(playground)
    pressed = {name for press in playground.presses_ahead() for name in press}
    assert pressed == {"noise", "train_ratio", "hidden_layers", "neurons"}  # they start over
    assert len(offers) == len(playground.presses_ahead())
    # still the network trained for 20 epochs, as it was
    assert playground.model is trained[3] and playground.epoch == 20
    assert playground.history.loss == trained[2]
    now = [value for _, _, value, _ in playground.model.parameters()]
    assert all(np.array_equal(a, b) for a, b in zip(weights, now, strict=True))
    playground.step(1)  # trains on from where it was
    assert playground.epoch == 21
    # a press starts over at epoch 0: exactly the picture drawn ahead
    press(playground, offers[0]["state"])
    assert playground.epoch == 0 and playground.picture == png(offers[0])
    assert [playground.message.value, playground.epoch_label.value] == offers[0]["texts"]


def test_nothing_is_drawn_ahead_when_switched_off(monkeypatch):
    async def construct(switch: str) -> object:
        monkeypatch.setenv("NNKIT_WORK_AHEAD", switch)
        explorer = nw.SoftmaxExplorer()
        for _ in range(50):  # the student looks for up to a second
            await asyncio.sleep(0.02)
            if explorer._ahead is not None and explorer._ahead.done():
                break
        return explorer

    assert asyncio.run(construct("1")).image.offered  # drawn in the event loop
    assert not asyncio.run(construct("0")).image.offered


def test_after_training_no_offer_stands_for_the_settings_shown():
    """Found by a student trial: neurons up and back, Play, Pause showed epoch 0 again (an
    offer for the settings on screen, drawn before training, and Play/Pause was part of
    the key). Play is no setting, and the kernel's picture drops any offer for its own."""
    playground = nw.Playground()
    names = [name for name, _ in playground._keyed.items()]
    assert "play" not in names and "neurons" in names
    offers_sent(playground)
    start = playground.image.state()
    neurons = playground.value("neurons")
    playground.controls["neurons"].value = neurons + 1  # a press, and back
    offers_sent(playground)  # drawn from there: the settings before among them
    assert state_key(start) in playground.image.offered
    sent: list[dict] = []
    send = playground.image.send
    playground.image.send = lambda content: (sent.append(content), send(content))
    playground.controls["neurons"].value = neurons
    assert state_key(start) not in playground.image.offered  # the kernel drew them
    playground.step(5)  # training: the same settings, another picture
    assert sent[-1] == {
        "drawn": {"state": start, "texts": [playground.message.value, playground.epoch_label.value]}
    }
    assert state_key(start) not in playground.image.offered
