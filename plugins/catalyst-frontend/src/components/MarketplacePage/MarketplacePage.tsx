import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useDebounce from 'react-use/esm/useDebounce';
import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Select,
} from '@backstage/core-components';
import { Grid, InputAdornment, makeStyles, TextField } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import SearchIcon from '@material-ui/icons/Search';
import { useCatalystBlueprints } from '../../hooks/useCatalystData';
import { BlueprintCard } from '../BlueprintCard';

const ALL = '__all__';

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'flex-end',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(3),
  },
  search: { minWidth: 320 },
  select: { minWidth: 220 },
}));

/** The Blueprint list, filtered on the server (which also decides visibility and finds unlisted Blueprints by exact name). */
export function MarketplaceContent() {
  const classes = useStyles();
  // "+ Install" on an Environment page opens the marketplace for that Environment
  const [params] = useSearchParams();
  const environment = params.get('environment') ?? undefined;
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState(ALL);
  useDebounce(() => setQuery(search.trim()), 300, [search]);

  // categories come from the unfiltered list, so the menu does not shrink as the user filters
  const all = useCatalystBlueprints();
  const filtered = query || category !== ALL;
  const result = useCatalystBlueprints(filtered ? { q: query, category: category === ALL ? undefined : category } : {});
  const shown = filtered ? result : all;

  const categories = useMemo(
    () => [...new Set((all.blueprints ?? []).map(b => b.card.category).filter((c): c is string => Boolean(c)))].sort(),
    [all.blueprints],
  );

  let body;
  if (shown.error) body = <ResponseErrorPanel error={shown.error} />;
  else if (shown.loading || !shown.blueprints) body = <Progress />;
  else if (shown.blueprints.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title={filtered ? 'No Blueprint matches' : 'No Blueprints yet'}
        description={
          filtered
            ? 'Try other words or another category. Unlisted Blueprints are found by their exact name.'
            : 'Blueprints appear here once a release is tagged in the catalog or your Organization’s shared-blueprints repository.'
        }
      />
    );
  } else {
    body = (
      <Grid container spacing={3} data-testid="blueprint-grid">
        {shown.blueprints.map(b => (
          <Grid item xs={12} sm={6} md={4} lg={3} key={`${b.namespace}/${b.name}`}>
            <BlueprintCard blueprint={b} environment={environment} />
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <>
      <ContentHeader title="Blueprints" />
      {environment && (
        <Alert severity="info" style={{ marginBottom: 16 }}>
          Installing into {environment}: Install opens the form with this Environment chosen.
        </Alert>
      )}
      <div className={classes.filters}>
        <TextField
          id="catalyst-marketplace-search"
          className={classes.search}
          label="Search Blueprints"
          value={search}
          onChange={e => setSearch(e.target.value)}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon />
              </InputAdornment>
            ),
          }}
        />
        <div className={classes.select}>
          <Select
            label="Category"
            selected={category}
            items={[{ label: 'All categories', value: ALL }, ...categories.map(c => ({ label: c, value: c }))]}
            onChange={value => setCategory(String(value))}
          />
        </div>
      </div>
      {body}
    </>
  );
}

/** The marketplace page: Blueprint card grid, search and categories. */
export function MarketplacePage() {
  return (
    <Page themeId="home">
      <Header title="Marketplace" subtitle="Install Applications into your Environments from Blueprints" />
      <Content>
        <MarketplaceContent />
      </Content>
    </Page>
  );
}
