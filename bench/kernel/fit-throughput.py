"""The chapter's MLP epoch through the kernel, with its live display, against the same cell headless
(`mapl run`, printing as it does), release build: the seconds `time { fit(…) }` measures inside the session,
printed, best of ROUNDS each, alternating so load drifts hit both.
Needs MNIST in $MAPL_DATA.

    bash bench/kernel/fit-throughput.sh [ROUNDS]
"""
import os
import re
import subprocess
import sys
import tempfile

from jupyter_client.manager import start_new_kernel

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
SETUP = 'seed(42)\ntrain = mnist("train")\n'
FIT = (
    "seed(42)\nmodel = flatten >> dense(784, 128, act=relu) >> dense(128, 10)\n"
    "t = time { fit(model, train, loss=cross_entropy, opt=adam(model, lr=0.001), epochs=1, batch=64) }\n"
    'print("fit seconds", t)'
)
SECONDS = re.compile(r"fit seconds ([0-9.e+-]+)")


def seconds(text):
    """The last `fit seconds` printed in `text`."""
    return float(SECONDS.findall(text)[-1])


def headless(mapl):
    with tempfile.NamedTemporaryFile("w", suffix=".mapl", delete=False) as f:
        # The first epoch of a process pays for first touches (the data's pages, the worker threads):
        # the second is timed, as through the kernel after its warm-up.
        f.write(SETUP + FIT + "\n" + FIT + "\n")
    try:
        # A session of its own, as jupyter_client starts a kernel: with the scheduler's autogroups a process
        # sharing a session with a busy build would get a smaller share of the CPU than the kernel gets.
        out = subprocess.run([mapl, "run", f.name], capture_output=True, text=True, check=True, start_new_session=True).stdout
    finally:
        os.unlink(f.name)
    return seconds(out)


def through_kernel(kc):
    updates, printed = [], []

    def hook(m):
        if m["msg_type"] == "update_display_data":
            updates.append(m)
        if m["msg_type"] == "stream":
            printed.append(m["content"]["text"])

    reply = kc.execute_interactive(FIT, timeout=600, output_hook=hook)
    assert reply["content"]["status"] == "ok", reply["content"]
    return seconds("".join(printed)), len(updates)


def main():
    mapl = os.environ["MAPL_BINARY"]
    km, kc = start_new_kernel(kernel_name="mapl")
    try:
        kc.execute_interactive(SETUP, timeout=600, output_hook=lambda m: None)
        through_kernel(kc)  # warm-up, as headless times its second epoch
        kernel_times, headless_times, updates = [], [], 0
        for _ in range(ROUNDS):
            headless_times.append(headless(mapl))
            t, n = through_kernel(kc)
            kernel_times.append(t)
            updates = n
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    best_k, best_h = min(kernel_times), min(headless_times)
    print(f"MLP epoch (60,000 samples, batch 64), best of {ROUNDS}:")
    print(f"  headless mapl run: {best_h:.3f} s ({60000 / best_h:,.0f} samples/s)")
    print(f"  through the kernel, live display ({updates} updates): {best_k:.3f} s ({60000 / best_k:,.0f} samples/s)")
    print(f"  kernel throughput: {100 * best_h / best_k:.1f} % of headless")


if __name__ == "__main__":
    main()
