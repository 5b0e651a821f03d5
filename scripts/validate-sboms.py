#!/usr/bin/env python3
"""Validate SBOM files with the reference validators.

CycloneDX JSON: cyclonedx-python-lib's JsonStrictValidator for spec 1.6.
SPDX (JSON or tag-value): spdx-tools' parser and validate_full_spdx_document.

Usage: scripts/validate-sboms.py FILE...   (needs: pip install cyclonedx-python-lib spdx-tools jsonschema)
Exits 1 if any file is invalid, 2 on bad usage.
"""

import json
import sys


def kind(path):
    with open(path, "rb") as f:
        head = f.read()
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").lstrip()
    if text.startswith("{"):
        doc = json.loads(text)
        if doc.get("bomFormat") == "CycloneDX":
            return "cyclonedx", text
        if "spdxVersion" in doc:
            return "spdx", text
    elif "SPDXVersion:" in text:
        return "spdx", text
    return None, text


def validate_cyclonedx(text):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return [str(error)] if error is not None else []


def validate_spdx(path):
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    try:
        document = parse_file(path)
    except Exception as e:  # the parser raises SPDXParsingError with all messages
        messages = getattr(e, "messages", None)
        return [str(m) for m in messages] if messages else [f"parse error: {e}"]
    return [m.validation_message for m in validate_full_spdx_document(document)]


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    for path in argv:
        try:
            k, text = kind(path)
        except (OSError, ValueError) as e:
            print(f"{path}: cannot read: {e}")
            failed += 1
            continue
        if k == "cyclonedx":
            errors = validate_cyclonedx(text)
        elif k == "spdx":
            errors = validate_spdx(path)
        else:
            errors = ["not a CycloneDX JSON or SPDX document"]
        if errors:
            failed += 1
            print(f"{path}: INVALID ({k})")
            for e in errors:
                print(f"  {e}")
        else:
            print(f"{path}: ok ({k})")
    print(f"{len(argv) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
