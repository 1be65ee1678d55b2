"""Outside systems (payments, shipping, messages): a protocol, the real client and a local stand-in each."""
