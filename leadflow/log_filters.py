"""Logging that helps operators without exposing the people in the leads."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class RedactEmails(logging.Filter):
    """No email address reaches a log line, whoever logged it (our code, a library, an
    exception message): they become "[email]"."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "@" in message:
            record.msg, record.args = EMAIL.sub("[email]", message), None
        if record.exc_info and record.exc_info[1] is not None and "@" in str(record.exc_info[1]):
            record.exc_text = EMAIL.sub("[email]", logging.Formatter().formatException(
                record.exc_info))  # fmt: skip
            record.exc_info = None
        return True
