"""Prevention before harm: the licensed-agency register, the job-offer check and the
safe-migration guide. Plain Python over the models; no Telegram here."""
