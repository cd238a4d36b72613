"""The nnkit command line: train on a CSV, clear errors, never overwrite."""

import subprocess
import sys

import numpy as np
import pytest

import nnkit as nk
from nnkit import cli
from nnkit.datasets import data_dir, load_penguins


def test_train_on_a_csv_and_save(tmp_path, capsys):
    out = tmp_path / "penguins.npz"
    code = cli.main(
        [
            "train",
            str(data_dir() / "penguins.csv"),
            "--target",
            "species",
            "--drop-missing",
            "--epochs",
            "60",
            "--save",
            str(out),
            "--hidden",
            "8",
            "--features",
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
        ]
    )
    text = capsys.readouterr().out
    assert code == 0, text
    assert "test accuracy" in text and out.exists()
    scaling = np.load(tmp_path / "penguins.scaling.npz")
    assert scaling["mean"].shape == (4,) and list(scaling["class_names"])[0] == "Adelie"
    # the saved model and scaling predict the training file's penguins well
    data = load_penguins()
    model = nk.load(out)
    predicted = model.predict((data.X - scaling["mean"]) / scaling["scale"])
    assert np.mean(predicted == data.y) > 0.9
    accuracy = float(text.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 90


def test_train_reports_bad_input_clearly(tmp_path, capsys):
    code = cli.main(["train", str(data_dir() / "penguins.csv"), "--target", "species"])
    err = capsys.readouterr().err
    assert code == 2
    assert "column 'island' must be numeric" in err
    assert "--features COLUMN" in err  # the hint names the command-line flag


def test_save_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "model.npz"
    out.write_bytes(b"precious")
    code = cli.main(
        [
            "train",
            str(data_dir() / "penguins.csv"),
            "--target",
            "species",
            "--features",
            "bill_length_mm",
            "body_mass_g",
            "--drop-missing",
            "--epochs",
            "2",
            "--save",
            str(out),
        ]
    )
    assert code == 2 and "overwrite" in capsys.readouterr().err
    assert out.read_bytes() == b"precious"


def test_python_dash_m_nnkit_runs():
    result = subprocess.run(
        [sys.executable, "-m", "nnkit", "datasets"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert "penguins" in result.stdout and "342 samples" in result.stdout


def test_unknown_command_fails():
    with pytest.raises(SystemExit):
        cli.main(["fly"])
