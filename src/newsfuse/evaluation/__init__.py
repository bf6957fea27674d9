"""Evaluation against the public data sets in ``shared/data`` (commands under ``newsfuse eval``)."""
