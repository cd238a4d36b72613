# nbgrader settings of the nnkit course (this folder is the course directory).
#
# Teacher: run nbgrader and JupyterLab's formgrader from this folder (`make teacher`,
# or `.venv/bin/nbgrader ...` from here). On a JupyterHub, copy this file to the
# teacher's ~/.jupyter/nbgrader_config.py and the student version (see
# docs/teaching.md) to each student's; both must agree on course_id and Exchange.root.
import os

c = get_config()  # noqa: F821

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "nnkit"

# The exchange is the folder release_assignment / fetch_assignment / submit / collect
# go through. On a hub it is storage every user's server mounts (e.g. an NFS share),
# writable by all: `mkdir -p /srv/nbgrader/exchange && chmod 777 /srv/nbgrader/exchange`.
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")

# A student's notebook may take a while to run (ex05 trains a network).
c.Execute.timeout = 120

# Feedback without the hidden tests: nbgrader's generate_feedback (and formgrader's
# "Generate Feedback" button) would otherwise copy the hidden-test code into every
# student's HTML. nnkit's preprocessor removes it, and the tracebacks that quote it.
try:
    from nnkit.coursework import safe_feedback_config

    safe_feedback_config(c)
except ImportError:  # nnkit is not installed here: feedback would leak the hidden tests
    raise SystemExit("install nnkit (pip install -e .) before running nbgrader here") from None
