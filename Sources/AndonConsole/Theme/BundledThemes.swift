// The bundled themes' text, built into the binary so `--theme NAME` works wherever it runs.
// A copy of themes/*.yaml: ThemeFileTests fails when the two differ (RECORD_THEMES=1 swift test rewrites this file).

/// The text of each bundled theme file, in the order `andon themes list` shows them.
enum BundledThemes {
    /// Name and YAML text of each bundled theme.
    static let texts: [(name: String, text: String)] = [
        ("isa101", ##"""
# ISA-101 "high-performance HMI": grey and calm when all is well; colour only for the abnormal;
# the alarm colours (alarm.1-4, audit.failing) are used for nothing else. Greys are xterm-256 indexes;
# terminals with fewer colours get the nearest they have. [n, basic] names the basic colour for 8- and
# 16-colour terminals, where the nearest would make an abnormal state look like an alarm.
name: isa101
summary: "ISA-101 high-performance (default): grey and calm, colour only for the abnormal"
roles:
  background:       {}
  text:             {fg: 250}
  muted:            {fg: 244, attrs: [dim]}
  border:           {fg: 240, attrs: [dim]}
  title:            {fg: 252, attrs: [bold]}
  focused_title:    {fg: 255, attrs: [bold, underline]}
  selection:        {fg: 255, bg: 238, attrs: [bold]}
  heading:          {fg: 246, attrs: [underline]}
  status.EXEC:      {fg: 250}
  status.HELD:      {fg: [117, cyan], attrs: [bold]}
  status.STARVED:   {fg: [117, cyan]}
  status.BLOCKED:   {fg: [117, cyan]}
  status.SUSP:      {fg: [117, cyan]}
  status.ABORTED:   {fg: [213, magenta], attrs: [bold]}
  status.STOPPED:   {fg: 244}
  status.IDLE:      {fg: 244}
  status.COMPLETE:  {fg: 244}
  status.CHANGING:  {fg: 250}
  status.STALE:     {fg: 244, attrs: [dim, underline]}
  alarm.1:          {fg: 196, attrs: [bold]}
  alarm.2:          {fg: 208, attrs: [bold]}
  alarm.3:          {fg: 226}
  alarm.4:          {fg: [110, blue]}
  risk.low:         {fg: 244}
  risk.medium:      {fg: 252}
  risk.high:        {fg: [213, magenta], attrs: [bold]}
  risk.critical:    {fg: [213, magenta], attrs: [bold, reverse]}
  budget.ok:        {fg: 244}
  budget.warn:      {fg: [117, cyan]}
  budget.breach:    {fg: [213, magenta], attrs: [bold]}
  queue.bar:        {fg: 244}
  queue.full:       {fg: [117, cyan], attrs: [bold]}
  banner:           {fg: 231, bg: 90, attrs: [bold]}
  dialog:           {fg: 252}
  input:            {fg: 255, attrs: [bold, underline]}
  key:              {fg: 252, attrs: [bold]}
  key.unavailable:  {fg: 240, attrs: [dim]}
  outcome.accepted: {fg: 255, attrs: [bold]}
  outcome.refused:  {fg: [213, magenta], attrs: [bold]}
  audit.failing:    {fg: 196, attrs: [bold, reverse]}

"""##),
        ("dark", ##"""
# ISA-101 rules on a dark grey backdrop that does not depend on the terminal's own background.
# Roles without bg sit on the background role's #1c1c1c.
name: dark
summary: "dark grey backdrop of its own, ISA-101 rules, exact RGB colours"
roles:
  background:       {fg: "#bcbcbc", bg: "#1c1c1c"}
  text:             {fg: "#bcbcbc"}
  muted:            {fg: "#808080"}
  border:           {fg: "#585858"}
  title:            {fg: "#dadada", attrs: [bold]}
  focused_title:    {fg: "#ffffff", attrs: [bold, underline]}
  selection:        {fg: "#ffffff", bg: "#3a3a3a", attrs: [bold]}
  heading:          {fg: "#9e9e9e", attrs: [underline]}
  status.EXEC:      {fg: "#bcbcbc"}
  status.HELD:      {fg: ["#5fafd7", cyan], attrs: [bold]}
  status.STARVED:   {fg: ["#5fafd7", cyan]}
  status.BLOCKED:   {fg: ["#5fafd7", cyan]}
  status.SUSP:      {fg: ["#5fafd7", cyan]}
  status.ABORTED:   {fg: ["#d787d7", magenta], attrs: [bold]}
  status.STOPPED:   {fg: "#808080"}
  status.IDLE:      {fg: "#808080"}
  status.COMPLETE:  {fg: "#808080"}
  status.CHANGING:  {fg: "#bcbcbc"}
  status.STALE:     {fg: "#808080", attrs: [underline]}
  alarm.1:          {fg: "#ff3030", attrs: [bold]}
  alarm.2:          {fg: "#ff8700", attrs: [bold]}
  alarm.3:          {fg: "#ffd700"}
  alarm.4:          {fg: ["#87afd7", blue]}
  risk.low:         {fg: "#808080"}
  risk.medium:      {fg: "#dadada"}
  risk.high:        {fg: ["#d787d7", magenta], attrs: [bold]}
  risk.critical:    {fg: ["#d787d7", magenta], attrs: [bold, reverse]}
  budget.ok:        {fg: "#808080"}
  budget.warn:      {fg: ["#5fafd7", cyan]}
  budget.breach:    {fg: ["#d787d7", magenta], attrs: [bold]}
  queue.bar:        {fg: "#808080"}
  queue.full:       {fg: ["#5fafd7", cyan], attrs: [bold]}
  banner:           {fg: "#ffffff", bg: ["#5f005f", magenta], attrs: [bold]}
  dialog:           {fg: "#dadada", bg: "#262626"}
  input:            {fg: "#ffffff", bg: "#262626", attrs: [bold, underline]}
  key:              {fg: "#dadada", attrs: [bold]}
  key.unavailable:  {fg: "#585858"}
  outcome.accepted: {fg: "#ffffff", attrs: [bold]}
  outcome.refused:  {fg: ["#d787d7", magenta], attrs: [bold]}
  audit.failing:    {fg: "#ff3030", attrs: [bold, reverse]}

"""##),
        ("light", ##"""
# ISA-101 rules for bright rooms: dark text on a pale grey backdrop; alarm yellows are darkened
# so they stay readable on light grey.
name: light
summary: "dark text on a pale backdrop, for bright rooms"
roles:
  background:       {fg: "#262626", bg: "#eeeeee"}
  text:             {fg: "#262626"}
  muted:            {fg: "#626262"}
  border:           {fg: "#8a8a8a"}
  title:            {fg: "#000000", attrs: [bold]}
  focused_title:    {fg: "#000000", attrs: [bold, underline]}
  selection:        {fg: "#000000", bg: "#c6c6c6", attrs: [bold]}
  heading:          {fg: "#4e4e4e", attrs: [underline]}
  status.EXEC:      {fg: "#262626"}
  status.HELD:      {fg: ["#005f87", cyan], attrs: [bold]}
  status.STARVED:   {fg: ["#005f87", cyan]}
  status.BLOCKED:   {fg: ["#005f87", cyan]}
  status.SUSP:      {fg: ["#005f87", cyan]}
  status.ABORTED:   {fg: ["#870087", magenta], attrs: [bold]}
  status.STOPPED:   {fg: "#626262"}
  status.IDLE:      {fg: "#626262"}
  status.COMPLETE:  {fg: "#626262"}
  status.CHANGING:  {fg: "#262626"}
  status.STALE:     {fg: "#626262", attrs: [underline]}
  alarm.1:          {fg: "#d70000", attrs: [bold]}
  alarm.2:          {fg: "#af5f00", attrs: [bold]}
  alarm.3:          {fg: "#875f00", attrs: [bold]}
  alarm.4:          {fg: ["#0000af", blue]}
  risk.low:         {fg: "#626262"}
  risk.medium:      {fg: "#000000"}
  risk.high:        {fg: ["#870087", magenta], attrs: [bold]}
  risk.critical:    {fg: ["#870087", magenta], attrs: [bold, reverse]}
  budget.ok:        {fg: "#626262"}
  budget.warn:      {fg: ["#005f87", cyan]}
  budget.breach:    {fg: ["#870087", magenta], attrs: [bold]}
  queue.bar:        {fg: "#626262"}
  queue.full:       {fg: ["#005f87", cyan], attrs: [bold]}
  banner:           {fg: "#ffffff", bg: ["#5f005f", magenta], attrs: [bold]}
  dialog:           {fg: "#000000", bg: "#dadada"}
  input:            {fg: "#000000", bg: "#dadada", attrs: [bold, underline]}
  key:              {fg: "#000000", attrs: [bold]}
  key.unavailable:  {fg: "#9e9e9e"}
  outcome.accepted: {fg: "#000000", attrs: [bold]}
  outcome.refused:  {fg: ["#870087", magenta], attrs: [bold]}
  audit.failing:    {fg: "#d70000", attrs: [bold, reverse]}

"""##),
        ("high-contrast", ##"""
# Maximum contrast for low vision or washed-out screens: bright white on black, bold titles, abnormal
# states in bright blue and magenta, alarms as solid blocks. Basic colours only, so 8- and 16-colour
# terminals show it as designed.
name: high-contrast
summary: "black and white with bold, underline and the 16 basic colours only"
roles:
  background:       {fg: bright-white, bg: black}
  text:             {fg: bright-white}
  muted:            {fg: white}
  border:           {fg: white}
  title:            {fg: bright-white, attrs: [bold]}
  focused_title:    {fg: bright-white, attrs: [bold, underline]}
  selection:        {attrs: [bold, reverse]}
  heading:          {fg: bright-white, attrs: [underline]}
  status.EXEC:      {fg: bright-white}
  status.HELD:      {fg: bright-blue, attrs: [bold, underline]}
  status.STARVED:   {fg: bright-blue, attrs: [bold]}
  status.BLOCKED:   {fg: bright-blue, attrs: [bold]}
  status.SUSP:      {fg: bright-blue, attrs: [bold]}
  status.ABORTED:   {fg: black, bg: bright-magenta, attrs: [bold]}
  status.STOPPED:   {fg: white}
  status.IDLE:      {fg: white}
  status.COMPLETE:  {fg: white}
  status.CHANGING:  {fg: bright-white}
  status.STALE:     {fg: white, attrs: [underline]}
  alarm.1:          {fg: bright-white, bg: red, attrs: [bold]}
  alarm.2:          {fg: black, bg: bright-yellow, attrs: [bold]}
  alarm.3:          {fg: bright-yellow, attrs: [bold]}
  alarm.4:          {fg: bright-cyan, attrs: [underline]}
  risk.low:         {fg: white}
  risk.medium:      {fg: bright-white}
  risk.high:        {fg: bright-magenta, attrs: [bold]}
  risk.critical:    {fg: black, bg: bright-magenta, attrs: [bold]}
  budget.ok:        {fg: white}
  budget.warn:      {fg: bright-blue, attrs: [bold]}
  budget.breach:    {fg: bright-magenta, attrs: [bold, underline]}
  queue.bar:        {fg: white}
  queue.full:       {fg: bright-blue, attrs: [bold]}
  banner:           {fg: black, bg: bright-white, attrs: [bold]}
  dialog:           {fg: bright-white}
  input:            {fg: bright-white, attrs: [bold, underline]}
  key:              {fg: bright-white, attrs: [bold]}
  key.unavailable:  {fg: white, attrs: [dim]}
  outcome.accepted: {fg: bright-white, attrs: [bold]}
  outcome.refused:  {fg: bright-magenta, attrs: [bold]}
  audit.failing:    {fg: bright-white, bg: red, attrs: [bold, underline]}

"""##),
        ("colorblind", ##"""
# Okabe & Ito's colour-universal palette (2008): the alarm hues vermillion, orange, yellow and reddish
# purple stay apart for deuteranopes and protanopes, and are used for alarms only; abnormal states are
# sky blue and blue. No red/green pair carries meaning; every state is also a word. A palette entry
# [colour, basic] names the basic colour to use on 8- and 16-colour terminals.
name: colorblind
summary: "Okabe-Ito palette, safe for deuteranopia and protanopia"
palette:
  black: "#000000"
  orange: ["#E69F00", yellow]
  sky-blue: ["#56B4E9", cyan]
  bluish-green: "#009E73"
  yellow: ["#F0E442", bright-yellow]
  blue: ["#0072B2", blue]
  vermillion: ["#D55E00", red]
  reddish-purple: ["#CC79A7", magenta]
  grey-text: "#c0c0c0"
  grey-muted: "#8a8a8a"
  grey-line: "#5f5f5f"
roles:
  background:       {}
  text:             {fg: grey-text}
  muted:            {fg: grey-muted}
  border:           {fg: grey-line}
  title:            {fg: "#e4e4e4", attrs: [bold]}
  focused_title:    {fg: "#ffffff", attrs: [bold, underline]}
  selection:        {fg: "#ffffff", bg: "#3a3a3a", attrs: [bold]}
  heading:          {fg: grey-muted, attrs: [underline]}
  status.EXEC:      {fg: grey-text}
  status.HELD:      {fg: sky-blue, attrs: [bold]}
  status.STARVED:   {fg: sky-blue}
  status.BLOCKED:   {fg: sky-blue}
  status.SUSP:      {fg: sky-blue}
  status.ABORTED:   {fg: "#ffffff", bg: blue, attrs: [bold]}
  status.STOPPED:   {fg: grey-muted}
  status.IDLE:      {fg: grey-muted}
  status.COMPLETE:  {fg: grey-muted}
  status.CHANGING:  {fg: grey-text}
  status.STALE:     {fg: grey-muted, attrs: [underline]}
  alarm.1:          {fg: vermillion, attrs: [bold, reverse]}
  alarm.2:          {fg: orange, attrs: [bold]}
  alarm.3:          {fg: yellow}
  alarm.4:          {fg: reddish-purple}
  risk.low:         {fg: grey-muted}
  risk.medium:      {fg: "#e4e4e4"}
  risk.high:        {fg: sky-blue, attrs: [bold, underline]}
  risk.critical:    {fg: "#ffffff", bg: blue, attrs: [bold]}
  budget.ok:        {fg: grey-muted}
  budget.warn:      {fg: sky-blue}
  budget.breach:    {fg: sky-blue, attrs: [bold, underline]}
  queue.bar:        {fg: grey-muted}
  queue.full:       {fg: sky-blue, attrs: [bold]}
  banner:           {fg: "#ffffff", bg: blue, attrs: [bold]}
  dialog:           {fg: "#e4e4e4"}
  input:            {fg: "#ffffff", attrs: [bold, underline]}
  key:              {fg: "#e4e4e4", attrs: [bold]}
  key.unavailable:  {fg: grey-line}
  outcome.accepted: {fg: "#ffffff", attrs: [bold]}
  outcome.refused:  {fg: sky-blue, attrs: [bold, underline]}
  audit.failing:    {fg: vermillion, attrs: [bold, reverse]}

"""##),
        ("mono", ##"""
# No colour at all: bold, dim, underline and reverse carry everything. Used whatever the theme when
# NO_COLOR is set or the terminal has no colours. The selection is reverse video.
name: mono
summary: "attributes only: any terminal, NO_COLOR, no colour vision needed"
roles:
  background:       {}
  text:             {}
  muted:            {attrs: [dim]}
  border:           {attrs: [dim]}
  title:            {attrs: [bold]}
  focused_title:    {attrs: [bold, underline]}
  selection:        {attrs: [reverse]}
  heading:          {attrs: [underline]}
  status.EXEC:      {}
  status.HELD:      {attrs: [bold]}
  status.STARVED:   {attrs: [underline]}
  status.BLOCKED:   {attrs: [underline]}
  status.SUSP:      {attrs: [underline]}
  status.ABORTED:   {attrs: [bold]}
  status.STOPPED:   {attrs: [dim]}
  status.IDLE:      {attrs: [dim]}
  status.COMPLETE:  {attrs: [dim]}
  status.CHANGING:  {}
  status.STALE:     {attrs: [dim]}
  alarm.1:          {attrs: [bold, underline]}
  alarm.2:          {attrs: [bold]}
  alarm.3:          {attrs: [underline]}
  alarm.4:          {}
  risk.low:         {attrs: [dim]}
  risk.medium:      {}
  risk.high:        {attrs: [bold]}
  risk.critical:    {attrs: [bold, underline]}
  budget.ok:        {attrs: [dim]}
  budget.warn:      {}
  budget.breach:    {attrs: [bold]}
  queue.bar:        {attrs: [dim]}
  queue.full:       {attrs: [bold]}
  banner:           {attrs: [bold, reverse]}
  dialog:           {}
  input:            {attrs: [underline]}
  key:              {attrs: [bold]}
  key.unavailable:  {attrs: [dim]}
  outcome.accepted: {attrs: [bold]}
  outcome.refused:  {attrs: [bold, underline]}
  audit.failing:    {attrs: [bold, reverse]}

"""##),
    ]
}
