/** Styles shared by several components. */
import { makeStyles, tokens } from '@fluentui/react-components';

/** Shared class names. */
export const useSharedStyles = makeStyles({
  /** Hidden on screen, read by screen readers. */
  visuallyHidden: {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
  },
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  plainList: {
    listStyleType: 'none',
    margin: '0',
    padding: '0',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  muted: {
    color: tokens.colorNeutralForeground3,
  },
  /** A small figures table: full width, ruled rows, numbers aligned right, a caption as its heading. */
  table: { borderCollapse: 'collapse', width: '100%', fontSize: tokens.fontSizeBase200 },
  cell: {
    textAlign: 'start',
    overflowWrap: 'anywhere',
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
    paddingRight: tokens.spacingHorizontalS,
    borderBottomWidth: tokens.strokeWidthThin,
    borderBottomStyle: 'solid',
    borderBottomColor: tokens.colorNeutralStroke2,
  },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  caption: { textAlign: 'start', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold, paddingBottom: tokens.spacingVerticalXS },
});
