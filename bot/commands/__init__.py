"""One module per ``mlcareer`` subcommand; ``bot.cli`` registers each explicitly."""
