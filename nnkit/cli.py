"""The ``nnkit`` command: copy and open the lessons, train on a CSV, list data sets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _lessons(args) -> int:
    from .launch import copy_lessons

    print("\n".join(copy_lessons(args.folder).lines()))
    return 0


def _lab(args) -> int:
    from .launch import open_lab

    try:
        return open_lab(args.folder, args.jupyter_args)
    except ModuleNotFoundError as error:
        print(f"nnkit lab: {error}", file=sys.stderr)
        return 2


def _train(args) -> int:
    import numpy as np

    import nnkit as nk

    data = nk.datasets.load_csv(
        args.csv, target=args.target, features=args.features, drop_missing=args.drop_missing
    )
    X_train, X_test, y_train, y_test, scaler = nk.datasets.split_and_scale(
        data.X, data.y, test_size=args.test_size, seed=args.seed
    )
    sizes = [X_train.shape[1], *args.hidden, len(data.class_names)]
    model = nk.mlp(sizes, activation=args.activation, seed=args.seed)
    optimizer = nk.Adam(lr=args.lr) if args.optimizer == "adam" else nk.SGD(lr=args.lr)
    try:
        history = model.fit(
            X_train,
            y_train,
            optimizer=optimizer,
            epochs=args.epochs,
            batch_size=args.batch_size,
            seed=args.seed,
            validation_data=(X_test, y_test),
            progress=args.progress,
        )
    except nk.TrainingDiverged as error:
        print(f"nnkit train: {error}", file=sys.stderr)
        return 1
    accuracy = float(np.mean(model.predict(X_test) == y_test))
    print(model.summary())
    print(f"classes: {data.class_names}")
    print(f"final training loss {history.loss[-1]:.4f}, test accuracy {accuracy:.1%}")
    if args.save:
        target = Path(args.save)
        target = target if target.suffix == ".npz" else target.with_name(target.name + ".npz")
        scaling = target.with_name(target.stem + ".scaling.npz")
        if scaling.exists() and not args.overwrite:
            raise FileExistsError(f"{scaling} already exists; pass overwrite=True to replace it")
        path = model.save(target, overwrite=args.overwrite)
        np.savez(
            scaling,
            mean=scaler.mean_,
            scale=scaler.scale_,
            feature_names=np.array(data.feature_names),
            class_names=np.array(data.class_names),
        )
        print(
            f"saved the model to {path} and its input scaling to {scaling}: for new rows X "
            "use nk.load(model).predict((X - mean) / scale) with the mean and scale stored there"
        )
    return 0


def _datasets(args) -> int:
    import nnkit as nk

    print(nk.datasets.load_penguins())
    for name in nk.datasets.TOY_DATASETS:
        print(f"make_{name}(n, noise, seed)")
    return 0


def _coursework(args) -> int:
    from . import coursework

    try:
        if args.action == "student-versions":
            out = args.out or coursework.checkout() / "notebooks" / "exercises"
            written = coursework.write_student_versions(out, course=args.course)
            print(f"{len(written)} student versions written to {out}")
        elif args.action == "release":
            folder = coursework.release(args.course, assignment=args.assignment)
            print(f"student versions in {folder}: hand out this folder (or release_assignment)")
        elif args.action == "autograde":
            rows = coursework.autograde(
                args.course, args.submissions, args.grades, assignment=args.assignment
            )
            for row in rows:
                if row["notebook"] == coursework.TOTAL:
                    print(f"{row['student']}: {row['score']:g} / {row['max_score']:g}")
            print(f"grades written to {args.grades} (a row per test cell, then the totals)")
        elif args.action == "feedback":
            files = coursework.feedback(args.course, args.assignment, student=args.student)
            print(f"{len(files)} feedback files (no hidden tests) in the course's feedback/")
        elif args.action == "solutions":
            out = (
                args.out or Path(args.course or coursework.checkout() / "coursework") / "solutions"
            )
            written = coursework.solutions(
                out,
                args.course,
                deadline=args.deadline,
                force=args.force,
                assignment=args.assignment,
            )
            print(f"{len(written)} solution notebooks written to {out}")
    except coursework.CourseworkError as error:
        print(f"nnkit coursework: {error}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nnkit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    lessons = sub.add_parser(
        "lessons", help="copy the lessons and exercises into a folder (never overwrites)"
    )
    lessons.add_argument(
        "folder", nargs="?", default="nnkit-lessons", help="where to (default: ./nnkit-lessons)"
    )
    lessons.set_defaults(run=_lessons)

    lab = sub.add_parser(
        "lab",
        help="open the lessons in JupyterLab (copies them first when missing)",
        epilog="Options it does not know (--port 8890, --no-browser) go to jupyter lab.",
    )
    lab.add_argument(
        "folder",
        nargs="?",
        default="nnkit-lessons",
        help="lessons folder (default: ./nnkit-lessons)",
    )
    lab.set_defaults(run=_lab, jupyter_args=[])

    train = sub.add_parser("train", help="train a classifier on your own CSV file")
    train.add_argument("csv", help="CSV file with a header row")
    train.add_argument("--target", required=True, help="name of the class column")
    train.add_argument(
        "--features",
        nargs="+",
        help="feature columns to use (default: every column but the target)",
    )
    train.add_argument(
        "--hidden", type=int, nargs="*", default=[10], help="hidden layer sizes (default: 10)"
    )
    train.add_argument("--activation", default="relu")
    train.add_argument("--optimizer", choices=["sgd", "adam"], default="adam")
    train.add_argument("--lr", type=float, default=0.01)
    train.add_argument("--epochs", type=int, default=200)
    train.add_argument("--batch-size", type=int, default=32)
    train.add_argument("--test-size", type=float, default=0.25)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--drop-missing", action="store_true")
    train.add_argument("--progress", action="store_true")
    train.add_argument("--save", help="save the trained model to this .npz file")
    train.add_argument("--overwrite", action="store_true")
    train.set_defaults(run=_train)

    data = sub.add_parser("datasets", help="list the data sets that ship with nnkit")
    data.set_defaults(run=_datasets)

    course = sub.add_parser("coursework", help="teacher tools for the graded exercises (nbgrader)")
    course.add_argument(
        "action",
        choices=["student-versions", "release", "autograde", "feedback", "solutions"],
        help="student-versions: regenerate notebooks/exercises from the sources; "
        "release: make the release folder; autograde: grade submissions into a CSV; "
        "feedback: every student's feedback HTML without hidden tests; "
        "solutions: the solutions handout, after the deadline",
    )
    course.add_argument(
        "--course", help="course folder (default: the checkout's coursework/; a private copy works)"
    )
    course.add_argument("--out", help="output folder (student-versions, solutions)")
    course.add_argument(
        "--submissions",
        default="coursework/submitted",
        help="folder of <student_id>/<assignment>/*.ipynb (autograde)",
    )
    course.add_argument("--grades", default="grades.csv", help="CSV file to write (autograde)")
    course.add_argument("--student", help="only this student's feedback")
    course.add_argument("--deadline", help="YYYY-MM-DD: solutions are refused until after it")
    course.add_argument("--force", action="store_true", help="solutions before the deadline")
    course.add_argument("--assignment", default="nnkit")
    course.set_defaults(run=_coursework)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if args.command != "lab":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.jupyter_args = unknown  # passed on to jupyter lab
    try:
        return args.run(args)
    except (ValueError, TypeError, FileNotFoundError, FileExistsError) as error:
        message = str(error)
        # the library names Python arguments; on the command line they are flags
        for python_name, flag in CLI_NAMES.items():
            message = message.replace(python_name, flag)
        print(f"nnkit {args.command}: {message}", file=sys.stderr)
        return 2


CLI_NAMES = {
    "features=[...]": "--features COLUMN [COLUMN ...]",
    "drop_missing=True": "--drop-missing",
    "overwrite=True": "--overwrite",
}
