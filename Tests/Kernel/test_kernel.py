"""The mapl Jupyter kernel checked by the Jupyter project's own tools: jupyter_kernel_test's KernelTests
(message schemas validated by the package), and through jupyter_client: interrupt, restart, a killed client,
and bad input on the wire.

Run by Tests/MaplCLITests/KernelProtocolTests.swift, which installs the kernelspec of the `mapl` under test
into a temporary prefix and sets JUPYTER_PATH to it (and MAPL_JOURNAL to a temporary journal):

    JUPYTER_PATH=PREFIX/share/jupyter MAPL_BINARY=.build/release/mapl python -m unittest -v Tests/Kernel/test_kernel.py
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import jupyter_kernel_test
import nbformat
import zmq
from jupyter_client.manager import KernelManager, start_new_kernel
from jupyter_client.session import Session

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import notebooks  # noqa: E402  (beside this file)

TIMEOUT = 15


class MaplKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "mapl"
    language_name = "mapl"
    file_extension = ".mapl"

    code_hello_world = 'print("hello, world")'
    # The softmax trap: probabilities handed to cross_entropy give a warning, which goes to stderr.
    code_stderr = "cross_entropy(softmax([[1, 2, 3]]), [2])"

    # Values worked out by hand.
    code_execute_result = [
        {"code": "1 + 1", "result": "2"},
        {"code": "6 * 7", "result": "42"},
        {"code": "[1, 2] + [3, 4]", "result": "tensor([4., 6.])"},
    ]
    code_generate_error = "zz + 1"

    completion_samples = [
        {"text": "resha", "matches": {"reshape"}},
        {"text": "softm", "matches": {"softmax"}},
    ]
    complete_code_samples = ["1 + 1", "x = [1, 2, 3]", "fn area(w, h) {\n  w * h\n}"]
    incomplete_code_samples = ["fn area(w, h) {", "(1 +", "x = [1, 2,"]
    invalid_code_samples = ["x = = 2", "1 +* )", "fn (("]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 *"

    code_inspect_sample = "relu"

    code_display_data = [
        {"code": "plot([1, 4, 9])", "mime": "text/plain"},
        {"code": "plot([1, 4, 9])", "mime": "image/svg+xml"},
        {"code": "show(rand(28, 28))", "mime": "image/png"},
        {"code": "x = param([1.0, 2.0])\ntrace(sum(x * x))", "mime": "text/html"},
    ]


class ClientTests(unittest.TestCase):
    """One kernel per test, driven through jupyter_client."""

    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name="mapl")

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def run_cell(self, code, timeout=TIMEOUT):
        """The execute_reply and the iopub outputs of a cell."""
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        return reply["content"], [m for m in outputs if m["msg_type"] not in ("status", "execute_input")]

    def result_text(self, code):
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["status"], "ok", reply)
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, outputs)
        return results[0]

    def shell_reply(self, msg_id):
        while True:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"]["msg_id"] == msg_id:
                return reply["content"]

    def test_completion_span_and_inspect_count_code_points(self):
        # "y" and a combining circumflex: two code points, one character, before the word completed.
        code = "y\u0302 = 1\nsig"
        reply = self.shell_reply(self.kc.complete(code, len(code)))
        self.assertIn("sigmoid", reply["matches"])
        self.assertEqual((reply["cursor_start"], reply["cursor_end"]), (len(code) - 3, len(code)))
        # Just after `relu(`, inspect asks help about relu.
        code = "y\u0302 = relu("
        reply = self.shell_reply(self.kc.inspect(code, len(code)))
        self.assertTrue(reply["found"], reply)
        self.assertIn("relu", reply["data"]["text/plain"])

    def interrupt_while_true(self, interrupt):
        self.assertEqual(self.run_cell("a = 41")[0]["status"], "ok")
        msg_id = self.kc.execute("n = 0\nwhile true { n += 1 }")
        # Wait until the loop runs: its execute_input is published as it starts.
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["msg_type"] == "execute_input" and m["parent_header"]["msg_id"] == msg_id:
                break
        time.sleep(0.3)
        self.assert_heartbeat_answers()
        started = time.monotonic()
        interrupt()
        while True:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"]["msg_id"] == msg_id:
                break
        elapsed = time.monotonic() - started
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertLess(elapsed, 0.2, f"the interrupt took {elapsed * 1000:.0f} ms")
        # Every name is kept: the one bound before, and the one the loop was counting with.
        self.assertEqual(self.result_text("a + 1"), "42")
        self.assertEqual(self.result_text("n > 0"), "true")

    def assert_heartbeat_answers(self):
        """The heartbeat echoes a ping at once, even while a cell runs (it has a thread of its own)."""
        info = self.km.get_connection_info()
        context = zmq.Context()
        hb = context.socket(zmq.REQ)
        hb.linger = 0
        try:
            hb.connect(f"{info['transport']}://{info['ip']}:{info['hb_port']}")
            hb.send(b"ping 42")
            self.assertNotEqual(hb.poll(1000), 0, "no heartbeat within a second while a cell runs")
            self.assertEqual(hb.recv(), b"ping 42")
        finally:
            hb.close()
            context.term()

    def test_interrupt_message_stops_while_true_and_keeps_names(self):
        self.interrupt_while_true(self.km.interrupt_kernel)

    def test_sigint_stops_while_true_and_keeps_names(self):
        self.interrupt_while_true(lambda: self.km.signal_kernel(signal.SIGINT))

    def test_restart_gives_a_fresh_session(self):
        self.assertEqual(self.result_text("kept = 5\nkept"), "5")
        old = self.km.provisioner.process.pid
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=TIMEOUT)
        self.assertNotEqual(self.km.provisioner.process.pid, old)
        reply, outputs = self.run_cell("kept")
        self.assertEqual(reply["status"], "error")
        self.assertIn("unknown name 'kept'", reply["evalue"])
        self.assertEqual(self.result_text("1 + 2"), "3")

    def test_cells_queued_behind_an_error_are_aborted(self):
        # Run All: three cells sent at once; the second fails, so the third must not run. (The first takes a
        # moment, so the others are surely queued when the second fails.)
        ids = [self.kc.execute(code) for code in ["first = 1\nfor i in 1..500000 { first = 1 }", "zz", "third = 3"]]
        replies = {}
        while len(replies) < 3:
            m = self.kc.get_shell_msg(timeout=TIMEOUT)
            replies[m["parent_header"]["msg_id"]] = m["content"]["status"]
        self.assertEqual([replies[i] for i in ids], ["ok", "error", "aborted"])
        self.assertEqual(self.run_cell("third")[0]["status"], "error")
        self.assertEqual(self.result_text("first"), "1")

    def test_output_order_and_error_caret(self):
        reply, outputs = self.run_cell('print("a")\nprint("b")\nx = [1, 2]\nx @ [[1, 2, 3]]')
        self.assertEqual(reply["status"], "error")
        # The prints first (one stream message, or more when they came apart), then the error.
        kinds = [m["msg_type"] for m in outputs]
        self.assertEqual(kinds[-1], "error")
        self.assertEqual(set(kinds[:-1]), {"stream"})
        self.assertEqual({m["content"]["name"] for m in outputs[:-1]}, {"stdout"})
        self.assertEqual("".join(m["content"]["text"] for m in outputs[:-1]), "a\nb\n")
        traceback = outputs[-1]["content"]["traceback"]
        # The positioned message, the line and the caret under the failing operator.
        self.assertTrue(traceback[0].startswith(f"<cell {reply['execution_count']}>:4:"), traceback)
        self.assertEqual(traceback[1], "  x @ [[1, 2, 3]]")
        self.assertIn("^", traceback[2])


    def test_fit_is_one_live_display(self):
        code = (
            "seed(1)\nm = dense(2, 1)\nd = dataset(randn([64, 2]), randn([64, 1]))\n"
            "h = fit(m, d, loss=mse, opt=sgd(m, lr=0.1), epochs=3, batch=16)"
        )
        reply, outputs = self.run_cell(code)
        self.assertEqual(reply["status"], "ok")
        displays = [m for m in outputs if m["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual(displays[0]["msg_type"], "display_data")
        ids = {m["content"]["transient"]["display_id"] for m in displays}
        self.assertEqual(len(ids), 1, "fit shows one display, updated in place")
        self.assertGreaterEqual(len(displays), 2)
        self.assertTrue(all(m["msg_type"] == "update_display_data" for m in displays[1:]))
        final = displays[-1]["content"]["data"]["text/plain"]
        self.assertIn("epoch 3/3  loss ", final)


class JournalTests(unittest.TestCase):
    def test_kernel_journal_replays_with_rerun_check(self):
        folder = tempfile.mkdtemp(prefix="mapl-kernel-journal-")
        journal = os.path.join(folder, "session.jsonl")
        km, kc = start_new_kernel(kernel_name="mapl", env={**os.environ, "MAPL_JOURNAL": journal})
        try:
            for code in ["seed(3)\nw = randn([3])", "w * 2", 'print(sum(w))', "zz"]:
                kc.execute_interactive(code, timeout=TIMEOUT, output_hook=lambda m: None)
        finally:
            kc.stop_channels()
            km.shutdown_kernel()
        binary = os.environ["MAPL_BINARY"]
        check = subprocess.run([binary, "replay", "--rerun-check", journal], capture_output=True, text=True, timeout=60)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        listing = subprocess.run([binary, "journal", journal], capture_output=True, text=True, timeout=60)
        self.assertIn("w * 2", listing.stdout)


class NotebookTests(unittest.TestCase):
    """The notebooks shipped in sessions/ executed by nbclient, as `jupyter nbconvert --execute` and JupyterLab's
    Run All do: every cell succeeds (nbclient raises at an error output, and the sessions end in asserts)."""

    def execute(self, name):
        """The shipped notebook, checked to be what its session makes, executed; and the messages it got."""
        import nbclient

        with open(notebooks.path(name), encoding="utf-8") as f:
            shipped = f.read()
        made = notebooks.notebook(name)
        self.assertEqual(shipped, notebooks.text(made), f"sessions/{name}.ipynb is not what sessions/{name}.mapl makes: "
                         "run python Tests/Kernel/notebooks.py")
        messages = []

        class Recording(nbclient.NotebookClient):
            def process_message(self, msg, cell, cell_index):
                messages.append(msg)
                return super().process_message(msg, cell, cell_index)

        Recording(made, timeout=600, kernel_name="mapl").execute()
        nbformat.validate(made)
        return made, messages

    @staticmethod
    def output_text(nb):
        return "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for cell in nb.cells for o in cell.outputs)

    def test_worked_example_notebook_runs_with_the_chapters_numbers(self):
        nb, _ = self.execute("03-worked-example")
        text = self.output_text(nb)
        # The worked example's numbers, by hand: z = Wᵀx + b, and the flow through the sigmoid.
        self.assertIn("z = tensor([0.3700, 0.4900]", text)
        self.assertIn("∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]", text)
        self.assertIn("dL/db = tensor([-0.0987,  0.1461])", text)
        # The walk as collapsible HTML beside its text, holding the same numbers.
        html = "\n".join(o["data"]["text/html"] for cell in nb.cells for o in cell.outputs if "text/html" in o.get("data", {}))
        self.assertIn("<details", html)
        self.assertIn("0.3700", html)
        self.assertIn("-0.0987", html)

    def test_mnist_notebook_runs_with_a_live_fit(self):
        if not os.environ.get("MAPL_DATA"):
            if os.environ.get("CI", "").lower() == "true":
                self.fail("MNIST not available: set MAPL_DATA (CI=true: a failure, not a skip)")
            raise unittest.SkipTest("MNIST not available: set MAPL_DATA")
        nb, messages = self.execute("05-mnist-mlp")
        displays = [m for m in messages if m["msg_type"] in ("display_data", "update_display_data") and "transient" in m["content"]]
        ids = {m["content"]["transient"]["display_id"] for m in displays}
        self.assertEqual(len(ids), 1, "the fit is one live display")
        updates = [m for m in displays if m["msg_type"] == "update_display_data"]
        self.assertGreaterEqual(len(updates), 2)
        self.assertIn("epoch 5/5  loss ", updates[-1]["content"]["data"]["text/plain"])
        self.assertIn("<svg", updates[-1]["content"]["data"]["image/svg+xml"], "the final display is the loss curve")
        # show(train, 0): the digit as a PNG, drawn at a whole multiple of its 28 × 28 pixels and legible (≥ 140 px).
        import base64, png
        pictures = [o["data"]["image/png"] for cell in nb.cells for o in cell.outputs if "image/png" in o.get("data", {})]
        self.assertGreaterEqual(len(pictures), 2, "show(train, 0) and show(test, 0) as PNG")
        width, height, rows, info = png.Reader(bytes=base64.b64decode(pictures[0])).read()
        rows = [list(r) for r in rows]
        self.assertEqual((len(rows), len(rows[0])), (height, width * info["planes"]))
        self.assertGreaterEqual(height, 140)
        self.assertGreaterEqual(width, 140)


class KilledClientTests(unittest.TestCase):
    def test_killed_client_leaves_no_kernel(self):
        # A client process that starts the kernel and is then killed with SIGKILL (no shutdown request).
        script = (
            "import sys, time\n"
            "from jupyter_client.manager import start_new_kernel\n"
            "km, kc = start_new_kernel(kernel_name='mapl')\n"
            "print(km.provisioner.process.pid, flush=True)\n"
            "time.sleep(60)\n"
        )
        client = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        try:
            kernel_pid = int(client.stdout.readline())
            self.assertTrue(alive(kernel_pid))
            client.kill()
            client.wait()
            deadline = time.monotonic() + 5
            while alive(kernel_pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(alive(kernel_pid), "the kernel outlived its killed client by 5 s")
        finally:
            client.kill()
            client.wait()
            client.stdout.close()


def alive(pid):
    """Whether process `pid` runs (a zombie waiting to be reaped does not)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class BadInputTests(unittest.TestCase):
    """Messages no honest client sends: dropped and logged, or answered with an error — never executed, never a crash."""

    def setUp(self):
        self.log = tempfile.NamedTemporaryFile(prefix="mapl-kernel-", suffix=".log", delete=False)
        self.km = KernelManager(kernel_name="mapl")
        self.km.start_kernel(stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)
        info = self.km.get_connection_info()
        self.context = zmq.Context()
        self.shell = self.context.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        self.signed = Session(key=self.km.session.key)

    def tearDown(self):
        self.shell.close()
        self.context.term()
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)

    def send_with(self, session, code):
        msg = session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
        session.send(self.shell, msg)
        return msg["header"]["msg_id"]

    def no_reply(self, seconds=1.0):
        self.assertEqual(self.shell.poll(int(seconds * 1000)), 0, "the kernel answered a message it should have dropped")

    def assert_still_serves(self):
        self.assertTrue(self.km.is_alive())
        reply = self.kc.execute_interactive("1 + 1", timeout=TIMEOUT, output_hook=lambda m: None)
        self.assertEqual(reply["content"]["status"], "ok")

    def assert_unbound(self, name):
        reply = self.kc.execute_interactive(name, timeout=TIMEOUT, output_hook=lambda m: None)
        self.assertEqual(reply["content"]["status"], "error", f"{name} was bound: a dropped message was executed")

    def logged(self):
        with open(self.log.name) as f:
            return f.read()

    def test_unsigned_message_is_dropped_and_logged(self):
        self.send_with(Session(key=b""), "unsigned = 1")
        self.no_reply()
        self.assert_unbound("unsigned")
        self.assertIn("dropped a message on shell: missing or wrong signature", self.logged())

    def test_wrongly_signed_message_is_dropped_and_logged(self):
        self.send_with(Session(key=b"not-the-key"), "forged = 1")
        self.no_reply()
        self.assert_unbound("forged")
        self.assertIn("missing or wrong signature", self.logged())

    def test_malformed_json_is_dropped_and_logged(self):
        parts = [b'{"msg_id": "1", "msg_type": "execute_request"', b"{}", b"{}", b'{"code": "broken = 1"}']
        signature = self.signed.sign(parts)
        self.shell.send_multipart([b"<IDS|MSG>", signature] + parts)
        self.no_reply()
        self.assert_unbound("broken")
        self.assertIn("malformed: header", self.logged())

    def test_frames_without_delimiter_are_dropped(self):
        self.shell.send_multipart([b"junk", b"\xff\xfe", b""])
        self.no_reply()
        self.assert_still_serves()

    def test_unknown_request_gets_an_error_reply(self):
        msg = self.signed.msg("frobnicate_request", {})
        self.signed.send(self.shell, msg)
        self.assertNotEqual(self.shell.poll(TIMEOUT * 1000), 0)
        _, reply = self.signed.feed_identities(self.shell.recv_multipart())
        reply = self.signed.deserialize(reply)
        self.assertEqual(reply["msg_type"], "frobnicate_reply")
        self.assertEqual(reply["content"]["status"], "error")
        self.assert_still_serves()

    def test_unknown_message_type_is_ignored(self):
        self.signed.send(self.shell, self.signed.msg("no_such_thing", {}))
        self.no_reply()
        self.assert_still_serves()

    def test_shutdown_on_shell_as_older_clients_send_it(self):
        msg = self.signed.msg("shutdown_request", {"restart": False})
        self.signed.send(self.shell, msg)
        self.assertNotEqual(self.shell.poll(TIMEOUT * 1000), 0)
        _, reply = self.signed.feed_identities(self.shell.recv_multipart())
        reply = self.signed.deserialize(reply)
        self.assertEqual((reply["msg_type"], reply["content"]), ("shutdown_reply", {"status": "ok", "restart": False}))
        deadline = time.monotonic() + 5
        while self.km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(self.km.is_alive())

    def test_oversized_frame_is_refused(self):
        # Larger than the kernel reads (64 MiB): the peer is disconnected, the kernel goes on.
        self.shell.send_multipart([b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", b"x" * (65 << 20)])
        self.no_reply(2.0)
        self.assert_still_serves()


if __name__ == "__main__":
    unittest.main()
