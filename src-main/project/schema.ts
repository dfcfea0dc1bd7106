// The project file's schema, as an ordered list of migrations. PRAGMA user_version
// holds the number of migrations applied; a project is brought forward when opened for writing
// (read-only opens read an older file through readAsCurrent and never write it).
// Never edit a released migration: add a new one.
import BetterSqlite3, { type Database } from 'better-sqlite3';

/** 'FIBR' as a 32-bit integer: marks an SQLite file as a fibrecon project. */
export const APPLICATION_ID = 0x46494252;

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
  /**
   * True when the migration changes what existing rows mean (not only adds tables or columns):
   * a file from before it cannot be read without being upgraded (see readAsCurrent).
   */
  changesExistingData?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sample metadata, input files, volumes and their slices, pipeline runs',
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE run (
          id INTEGER PRIMARY KEY,
          step TEXT NOT NULL,
          params_json TEXT NOT NULL,
          software_version TEXT NOT NULL,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          duration_s REAL,
          status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
          log TEXT NOT NULL DEFAULT '',
          error_json TEXT,
          host TEXT NOT NULL,
          pid INTEGER NOT NULL
        );
        CREATE TABLE volume (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          role TEXT NOT NULL CHECK (role IN ('channel', 'derived')),
          kind TEXT NOT NULL CHECK (kind IN ('grey', 'labels', 'probability')),
          dtype TEXT NOT NULL CHECK (dtype IN ('uint8', 'uint16', 'float32')),
          nz INTEGER NOT NULL CHECK (nz > 0),
          ny INTEGER NOT NULL CHECK (ny > 0),
          nx INTEGER NOT NULL CHECK (nx > 0),
          voxel_x_nm REAL NOT NULL CHECK (voxel_x_nm > 0),
          voxel_y_nm REAL NOT NULL CHECK (voxel_y_nm > 0),
          voxel_z_nm REAL NOT NULL CHECK (voxel_z_nm > 0),
          voxel_source_json TEXT NOT NULL,
          metadata_json TEXT NOT NULL DEFAULT '{}',
          crop_json TEXT,
          codec TEXT NOT NULL,
          raw_bytes INTEGER NOT NULL,
          stored_bytes INTEGER NOT NULL,
          created_at TEXT NOT NULL,
          run_id INTEGER REFERENCES run(id)
        );
        CREATE TABLE input_file (
          id INTEGER PRIMARY KEY,
          volume_id INTEGER NOT NULL REFERENCES volume(id) ON DELETE CASCADE,
          path TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          modified_at TEXT NOT NULL,
          pages INTEGER NOT NULL,
          metadata_json TEXT NOT NULL
        );
        CREATE TABLE slice (
          volume_id INTEGER NOT NULL REFERENCES volume(id) ON DELETE CASCADE,
          z_index INTEGER NOT NULL,
          z_nm REAL NOT NULL,
          input_file_id INTEGER REFERENCES input_file(id),
          input_page INTEGER,
          data BLOB NOT NULL,
          PRIMARY KEY (volume_id, z_index)
        );
      `);
    },
  },
  {
    version: 2,
    description: 'thickness tables, quality metrics, model and execution provider of runs',
    up(db) {
      db.exec(`
        ALTER TABLE run ADD COLUMN model_name TEXT;
        ALTER TABLE run ADD COLUMN model_version TEXT;
        ALTER TABLE run ADD COLUMN execution_provider TEXT;
        CREATE TABLE thickness_table (
          id INTEGER PRIMARY KEY,
          volume_id INTEGER REFERENCES volume(id) ON DELETE CASCADE,
          source TEXT NOT NULL CHECK (source IN ('asv', 'ruler', 'table', 'target', 'synthetic')),
          description TEXT NOT NULL,
          created_at TEXT NOT NULL,
          run_id INTEGER REFERENCES run(id)
        );
        CREATE TABLE thickness_value (
          table_id INTEGER NOT NULL REFERENCES thickness_table(id) ON DELETE CASCADE,
          slice_index INTEGER NOT NULL,
          thickness_nm REAL,
          uncertainty_nm REAL,
          flag TEXT,
          PRIMARY KEY (table_id, slice_index)
        );
        CREATE TABLE metric (
          id INTEGER PRIMARY KEY,
          volume_id INTEGER REFERENCES volume(id) ON DELETE CASCADE,
          reference_volume_id INTEGER REFERENCES volume(id) ON DELETE CASCADE,
          run_id INTEGER REFERENCES run(id),
          name TEXT NOT NULL,
          value REAL,
          unit TEXT NOT NULL,
          detail_json TEXT
        );
      `);
    },
  },
  {
    version: 3,
    description: 'sparse annotation of grey volumes: classes, per-slice label planes, undoable edit history',
    up(db) {
      // annotation_set is bound to one volume by name, id, creation time, shape and
      // dtype, with no foreign key: when that volume is deleted or replaced the
      // annotations stay (to be exported or cleared) and are reported as stale, never
      // silently dropped or moved onto the new volume. Versions are edit ids
      // (AUTOINCREMENT: never reused), so a version names one state in this project.
      db.exec(`
        CREATE TABLE annotation_class (
          value INTEGER PRIMARY KEY CHECK (value BETWEEN 1 AND 255),
          name TEXT NOT NULL UNIQUE,
          color TEXT NOT NULL
        );
        INSERT INTO annotation_class (value, name, color) VALUES (1, 'pore', '#3b82f6'), (2, 'solid', '#f59e0b');
        CREATE TABLE annotation_set (
          id INTEGER PRIMARY KEY,
          volume_name TEXT NOT NULL UNIQUE,
          volume_id INTEGER NOT NULL,
          volume_created_at TEXT NOT NULL,
          dtype TEXT NOT NULL,
          nz INTEGER NOT NULL CHECK (nz > 0),
          ny INTEGER NOT NULL CHECK (ny > 0),
          nx INTEGER NOT NULL CHECK (nx > 0),
          voxel_x_nm REAL NOT NULL,
          voxel_y_nm REAL NOT NULL,
          voxel_z_nm REAL NOT NULL,
          codec TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL
        );
        CREATE TABLE annotation_slice (
          set_id INTEGER NOT NULL REFERENCES annotation_set(id) ON DELETE CASCADE,
          z_index INTEGER NOT NULL,
          data BLOB NOT NULL,
          counts_json TEXT NOT NULL,
          PRIMARY KEY (set_id, z_index)
        );
        CREATE TABLE annotation_edit (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          set_id INTEGER NOT NULL REFERENCES annotation_set(id) ON DELETE CASCADE,
          tool TEXT NOT NULL,
          author TEXT NOT NULL,
          at TEXT NOT NULL,
          slices_json TEXT NOT NULL,
          changed_pixels INTEGER NOT NULL,
          detail_json TEXT,
          undoes INTEGER,
          undone_by INTEGER
        );
        CREATE INDEX annotation_edit_set ON annotation_edit (set_id, id);
        CREATE TABLE annotation_edit_slice (
          edit_id INTEGER NOT NULL REFERENCES annotation_edit(id) ON DELETE CASCADE,
          z_index INTEGER NOT NULL,
          previous BLOB,
          previous_counts_json TEXT,
          PRIMARY KEY (edit_id, z_index)
        );
      `);
    },
  },
  {
    version: 4,
    description: 'CRC-32 of every stored slice blob, checked on every read',
    up(db) {
      // NULL for slices written before this version: they read as before and
      // `fibrecon check --deep` reports them as not checksummed.
      db.exec('ALTER TABLE slice ADD COLUMN crc32 INTEGER;');
    },
  },
  {
    version: 5,
    description: 'trained pixel classifiers: features, normalisation, forest and the annotation version they learnt from',
    up(db) {
      // One row per trained classifier, kept with the label volume it made (volume_id,
      // NULL for one kept without a volume) so that a rerun on the same annotation
      // version gives the same labels, and the accuracy estimate stays beside the result.
      db.exec(`
        CREATE TABLE classifier (
          id INTEGER PRIMARY KEY,
          source_volumes_json TEXT NOT NULL,
          annotation_version INTEGER NOT NULL,
          volume_id INTEGER REFERENCES volume(id) ON DELETE CASCADE,
          created_at TEXT NOT NULL,
          classifier_json TEXT NOT NULL,
          estimate_json TEXT,
          run_id INTEGER REFERENCES run(id)
        );
      `);
    },
  },
  {
    version: 6,
    description: 'CRC-32 of every stored annotation plane (current, and kept for undo), checked on every read',
    up(db) {
      // NULL for planes written before this version: they read as before; `fibrecon check --deep`
      // counts them as not checksummed. (annotation-integrity.ts)
      db.exec(`
        ALTER TABLE annotation_slice ADD COLUMN crc32 INTEGER;
        ALTER TABLE annotation_edit_slice ADD COLUMN previous_crc32 INTEGER;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Lets a read-only connection (which never migrates) read a file at schema `from` as the current
 * schema: tables added since are empty TEMP tables, a table that gained columns is a TEMP view
 * with those columns NULL. The TEMP schema is searched before the file's own and is never written
 * to the file. False when a later migration changes existing data: only an upgrade can read that.
 */
export function readAsCurrent(db: Database, from: number): boolean {
  if (MIGRATIONS.some((m) => m.version > from && m.changesExistingData)) return false;
  const scratch = new BetterSqlite3(':memory:');
  try {
    migrate(scratch);
    const current = scratch.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    const columnsOf = (d: Database, table: string) => d.prepare("SELECT name FROM pragma_table_info(?, 'main')").pluck().all(table) as string[];
    for (const t of current) {
      const have = columnsOf(db, t.name);
      if (have.length === 0) {
        db.exec(t.sql.replace(/^CREATE TABLE/i, 'CREATE TEMP TABLE'));
        continue;
      }
      const added = columnsOf(scratch, t.name).filter((c) => !have.includes(c));
      if (added.length > 0) db.exec(`CREATE TEMP VIEW "${t.name}" AS SELECT *, ${added.map((c) => `NULL AS "${c}"`).join(', ')} FROM main."${t.name}"`);
    }
    return true;
  } finally {
    scratch.close();
  }
}

/** Applies the migrations after the file's user_version up to `target`, each in its own transaction. */
export function migrate(db: Database, target = SCHEMA_VERSION): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
