/** The header row of a small figures table: one column heading per column, each with its own class. */
import { TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';

/** One column of a figures table: its heading and the class its cells share (alignment, width). */
export interface ColumnHead {
  readonly label: string;
  readonly className: string;
}

/** The `<thead>` of a figures table, each heading a column header for screen readers. */
export function ColumnHeads({ columns }: { readonly columns: readonly ColumnHead[] }) {
  return (
    <TableHeader>
      <TableRow>
        {columns.map((c) => (
          <TableHeaderCell key={c.label} scope="col" className={c.className}>
            {c.label}
          </TableHeaderCell>
        ))}
      </TableRow>
    </TableHeader>
  );
}
