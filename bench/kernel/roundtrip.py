"""Round trip of an execute_request through jupyter_client, release build: `1 + 1` sent on shell, timed to
its execute_reply, and to the idle status on iopub that ends it (what a notebook waits for before the
next cell). Prints the median and the 99th percentile of each.

    swift build -c release --static-swift-stdlib --product mapl
    bash bench/kernel/roundtrip.sh            # makes a kernelspec for .build/release/mapl and runs this
"""
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
WARMUP = 100


def one(kc):
    started = time.perf_counter()
    msg_id = kc.execute("1 + 1")
    while True:
        reply = kc.get_shell_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    replied = time.perf_counter()
    while True:
        m = kc.get_iopub_msg(timeout=10)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    idle = time.perf_counter()
    assert reply["content"]["status"] == "ok", reply
    return (replied - started) * 1e3, (idle - started) * 1e3


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    km, kc = start_new_kernel(kernel_name="mapl")
    try:
        for _ in range(WARMUP):
            one(kc)
        to_reply, to_idle = zip(*(one(kc) for _ in range(ROUNDS)))
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    print(f"execute_request '1 + 1', {ROUNDS} rounds after {WARMUP} warm-up:")
    print(f"  to execute_reply: median {statistics.median(to_reply):.3f} ms, p99 {percentile(to_reply, 99):.3f} ms")
    print(f"  to idle status:   median {statistics.median(to_idle):.3f} ms, p99 {percentile(to_idle, 99):.3f} ms")


if __name__ == "__main__":
    main()
