enum _PlaceholderAndonRuntime {}
