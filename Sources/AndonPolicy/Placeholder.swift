enum _PlaceholderAndonPolicy {}
