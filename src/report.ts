/** What msb decided and why; `--explain` prints it, `--json` returns it. */
export type NoteLevel = "info" | "assumption" | "warning";

export interface Note {
  level: NoteLevel;
  message: string;
}

export class Report {
  readonly notes: Note[] = [];
  info(message: string): void {
    this.notes.push({ level: "info", message });
  }
  assume(message: string): void {
    this.notes.push({ level: "assumption", message });
  }
  warn(message: string): void {
    this.notes.push({ level: "warning", message });
  }
}
