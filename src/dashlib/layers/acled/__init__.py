"""The ACLED events layer: import, storage, aggregation for the charts."""
