/** One numbered step of the workflow: a labelled region with a heading. */
import { makeStyles, Subtitle2, tokens, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalM,
    paddingBottom: tokens.spacingVerticalM,
    borderTopWidth: tokens.strokeWidthThin,
    borderTopStyle: 'solid',
    borderTopColor: tokens.colorNeutralStroke2,
  },
  heading: {
    margin: '0',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
  number: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '24px',
    height: '24px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontSize: tokens.fontSizeBase200,
    flexShrink: 0,
  },
});

/** Props of `StepSection`. */
export interface StepSectionProps {
  readonly number: number;
  readonly title: string;
  readonly children: ReactNode;
}

/** A workflow step: `<section>` labelled by its numbered heading. */
export function StepSection({ number, title, children }: StepSectionProps) {
  const styles = useStyles();
  const id = useId('step-');
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Subtitle2 as="h2" id={id} className={styles.heading}>
        <span className={styles.number} aria-hidden="true">
          {number}
        </span>
        {title}
      </Subtitle2>
      {children}
    </section>
  );
}
