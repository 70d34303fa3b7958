-- Sources can be added in the web UI as well as in the configuration
-- file. origin says which: 'config' sources are made to match the file
-- at every start (and marked inactive once it drops them); 'web' ones
-- are kept until removed in the web UI; 'import' is the source imported
-- files are filed under. paused: an administrator stopped the source's
-- runs (either origin); its articles and history stay, and a restart
-- keeps it paused.
ALTER TABLE sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';
ALTER TABLE sources ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
UPDATE sources SET origin = 'import' WHERE type = 'import';
