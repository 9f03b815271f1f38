enum _PlaceholderAndonConsole {}
