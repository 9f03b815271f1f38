enum _PlaceholderAndonStore {}
