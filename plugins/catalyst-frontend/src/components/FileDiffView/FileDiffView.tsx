import { Fragment } from 'react';
import { Box, Chip, makeStyles, Typography } from '@material-ui/core';
import { diffHunks, FileDifference } from '../../utils/unifiedDiff';

const useStyles = makeStyles(theme => ({
  file: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
    marginBottom: theme.spacing(2),
    overflow: 'hidden',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 1.5),
    backgroundColor: theme.palette.background.default,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  path: { fontFamily: 'monospace', fontWeight: 600 },
  table: { width: '100%', borderCollapse: 'collapse', fontFamily: 'monospace', fontSize: '0.8rem' },
  number: {
    width: 1,
    padding: theme.spacing(0, 1),
    textAlign: 'right',
    color: theme.palette.text.secondary,
    userSelect: 'none',
    whiteSpace: 'nowrap',
  },
  code: { whiteSpace: 'pre-wrap', wordBreak: 'break-all', padding: theme.spacing(0, 1) },
  hunk: {
    color: theme.palette.text.secondary,
    backgroundColor: theme.palette.action.hover,
    padding: theme.spacing(0.25, 1),
  },
  added: { backgroundColor: theme.palette.type === 'dark' ? 'rgba(46, 160, 67, 0.25)' : '#e6ffec' },
  removed: { backgroundColor: theme.palette.type === 'dark' ? 'rgba(248, 81, 73, 0.25)' : '#ffebe9' },
}));

const CHANGE_LABEL = { added: 'added', modified: 'modified', removed: 'removed' } as const;

export interface FileDiffViewProps {
  files: ReadonlyArray<FileDifference>;
  /** Shown when there are no differences. */
  emptyText?: string;
}

/** Unified diffs of changed files, GitHub-style: path, change kind, hunks with old/new line numbers. */
export function FileDiffView(props: FileDiffViewProps) {
  const { files, emptyText = 'No file differs.' } = props;
  const classes = useStyles();
  if (files.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyText}
      </Typography>
    );
  }
  return (
    <Box data-testid="file-diff">
      {files.map(file => {
        const hunks = diffHunks(file.before, file.after);
        return (
          <Box key={file.path} className={classes.file} data-testid={`diff-${file.path}`}>
            <Box className={classes.header}>
              <span className={classes.path}>{file.path}</span>
              <Chip size="small" label={CHANGE_LABEL[file.change]} />
            </Box>
            <table className={classes.table}>
              <tbody>
                {hunks.map(h => (
                  <Fragment key={`${h.oldStart}-${h.newStart}`}>
                    <tr>
                      <td colSpan={3} className={classes.hunk}>
                        @@ -{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
                      </td>
                    </tr>
                    {h.lines.map((l, i) => (
                      <tr
                        key={i}
                        className={{ '+': classes.added, '-': classes.removed, ' ': undefined }[l.op]}
                        data-op={l.op}
                      >
                        <td className={classes.number}>{l.oldNumber ?? ''}</td>
                        <td className={classes.number}>{l.newNumber ?? ''}</td>
                        <td className={classes.code}>
                          {l.op}
                          {l.text}
                        </td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </Box>
        );
      })}
    </Box>
  );
}
