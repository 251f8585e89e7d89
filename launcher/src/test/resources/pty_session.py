#!/usr/bin/env python3
"""Runs a command in a real pseudo-terminal and answers its prompts, as a person would.

Usage: pty_session.py SPEC.json
SPEC: {"argv": [...], "env": {NAME: value, or "__UNSET__" to remove it}, "cwd": "...", "timeout": seconds,
       "steps": [["regex to wait for", "text to type"], ...]}
Each step waits (from where the previous match ended) until the regex appears in the terminal's output, then
types the text ("\u0004" is Ctrl-D). Prints the whole transcript, then a last line "EXIT <code>"; a prompt that
never comes prints "TIMEOUT waiting for <regex>" and exits 3.
"""
import json, os, pty, re, select, sys, time


def main():
    spec = json.load(open(sys.argv[1]))
    env = dict(os.environ)
    for k, v in spec.get("env", {}).items():
        if v == "__UNSET__":
            env.pop(k, None)  # not set at all
        else:
            env[k] = v
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(spec.get("cwd", "."))
        os.execvpe(spec["argv"][0], spec["argv"], env)
    out = b""
    pos = 0
    deadline = time.time() + spec.get("timeout", 60)

    def pump(wait):
        nonlocal out
        r, _, _ = select.select([fd], [], [], wait)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return False
            if not data:
                return False
            out += data
        return True

    for pattern, answer in spec.get("steps", []):
        rx = re.compile(pattern.encode())
        while True:
            m = rx.search(out, pos)
            if m:
                pos = m.end()
                break
            if time.time() > deadline or not pump(0.2):
                if not rx.search(out, pos):
                    sys.stdout.write(out.decode("utf-8", "replace"))
                    sys.stdout.write("\nTIMEOUT waiting for " + pattern + "\n")
                    os.kill(pid, 9)
                    sys.exit(3)
        time.sleep(0.05)
        os.write(fd, answer.encode())
    while time.time() < deadline and pump(0.2):
        pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode("utf-8", "replace"))
    sys.stdout.write("\nEXIT %d\n" % (os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1))


main()
