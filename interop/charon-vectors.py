#!/usr/bin/python3
"""Pulls the key-derivation values a strongSwan charon logs at 'ike = 4' / 'chd = 4' out of its log
and prints them as key=value lines (lowercase hex). Usage: charon-vectors.py CHARON_LOG
Labels (strongSwan 5.9 keymat_v1.c / child_sa.c): the first 'shared Diffie Hellman secret' is
phase 1 (gxy), a second one is the quick mode PFS secret (qm_gxy)."""
import re
import sys

LABELS = [
    ("shared Diffie Hellman secret", "gxy"),
    ("SKEYID_d", "skeyid_d"),
    ("SKEYID_a", "skeyid_a"),
    ("SKEYID_e", "skeyid_e"),
    ("SKEYID", "skeyid"),
    ("encryption key Ka", "ka"),
    ("initial IV", "initial_iv"),
    ("HASH_I", "hash_i"),
    ("HASH_R", "hash_r"),
    ("encryption initiator key", "esp_enc_i"),
    ("encryption responder key", "esp_enc_r"),
    ("integrity initiator key", "esp_integ_i"),
    ("integrity responder key", "esp_integ_r"),
]

lines = open(sys.argv[1], errors="replace").read().splitlines()
seen = {}
for i, line in enumerate(lines):
    m = re.search(r"\] (.+?) => (\d+) bytes @", line)
    if not m:
        continue
    label, n = m.group(1).strip(), int(m.group(2))
    key = next((k for l, k in LABELS if label == l), None)
    if key is None:
        continue
    hexs = ""
    for follow in lines[i + 1:]:
        mm = re.search(r"\]\s+\d+: ((?:[0-9A-F]{2} )+)", follow)
        if not mm:
            break
        hexs += mm.group(1).replace(" ", "")
    value = hexs[: 2 * n].lower()
    if key == "gxy" and "gxy" in seen:
        key = "qm_gxy"
    if key in seen:
        continue
    seen[key] = value
    print(f"# from: {line.split(']', 1)[1].strip()}")
    print(f"{key}={value}")
