"""Getting leads in, clean: imports, companies, touches and duplicates."""
