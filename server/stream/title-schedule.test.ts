import assert from 'node:assert/strict';
import test from 'node:test';
import { TitleSchedule } from './title-schedule.js';

test('a change shows from its frame on, not before', () => {
  const titles = new TitleSchedule('old');
  titles.change(100, 'new');
  assert.equal(titles.at(0), 'old');
  assert.equal(titles.at(99), 'old');
  assert.equal(titles.current, 'old');
  assert.equal(titles.at(100), 'new');
  assert.equal(titles.current, 'new');
});

test('a second change before the first is due replaces it', () => {
  const titles = new TitleSchedule('a');
  titles.change(10, 'b');
  titles.change(20, 'c');
  assert.equal(titles.at(15), 'a');
  assert.equal(titles.at(20), 'c');
});
