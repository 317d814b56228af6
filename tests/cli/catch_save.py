#!/usr/bin/env python3
"""catch_save.py DIR NAME ACTION OUT ERR CMD... -- runs CMD (stdout to OUT, stderr to ERR), catches it
while it saves NAME in DIR (it has a file open in DIR that has no name, O_TMPFILE, or is named
NAME.tmp.*), and sends signals there. ACTION is [FIRST:]SIGS: FIRST (e.g. INT) is sent once OUT is
not empty, before the save; at the save the process is stopped, SIGS (comma-separated, e.g. INT or
HUP or KILL) are sent, and it is continued, so they arrive while the save is half done whatever the
timing. Prints "caught" or "missed" (the save ended before it was seen: run again) and exits with
the process's status (128 + N for signal N), or 99 when missed."""
import os, signal, subprocess, sys, time

def writing(pid, real, name):
    fdd = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(fdd)
    except OSError:
        return False
    for fd in fds:
        try:
            link = os.readlink(f"{fdd}/{fd}")
        except OSError:
            continue
        if link.startswith(real + "/"):
            base = link[len(real) + 1:]
            if base.endswith("(deleted)") or base.startswith(name + ".tmp."):
                return True
    return False

def status(rc):
    return 128 - rc if rc < 0 else rc

def main():
    d, name, action, out, err = sys.argv[1:6]
    cmd = sys.argv[6:]
    real = os.path.realpath(d)
    first, _, sigs = action.rpartition(":")
    sigs = [getattr(signal, "SIG" + s) for s in sigs.split(",")]
    with open(out, "wb") as fo, open(err, "wb") as fe:
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe)
    deadline = time.monotonic() + 240
    if first:
        while p.poll() is None and os.path.getsize(out) == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        p.send_signal(getattr(signal, "SIG" + first))
    caught = False
    while p.poll() is None and time.monotonic() < deadline:
        if writing(p.pid, real, name):
            p.send_signal(signal.SIGSTOP)
            if writing(p.pid, real, name):   # still inside the save, now frozen there
                caught = True
                for s in sigs:
                    p.send_signal(s)
                    time.sleep(0.05)         # one at a time: a stopped process merges repeats
                    if s != signal.SIGKILL:
                        p.send_signal(signal.SIGCONT)
                        time.sleep(0.05)
                        if sigs[-1] != s and p.poll() is None:
                            p.send_signal(signal.SIGSTOP)
                if p.poll() is None:
                    p.send_signal(signal.SIGCONT)
                break
            p.send_signal(signal.SIGCONT)
    if p.poll() is None and time.monotonic() >= deadline:
        p.kill()
    rc = status(p.wait())
    print("caught" if caught else "missed")
    sys.exit(rc if caught else 99)

main()
