enum _PlaceholderAndonTesting {}
